"""The models of this app, one module per noun; import them from here. The stored facts per
facility and year (reports.fact_table) are models of reports.fact_models, registered here too."""

from ..fact_models import FacilityYearFact, FactsDirty, FactsState
from .establishment_count import EstablishmentCount
from .indicator import Indicator, IndicatorMilestone, IndicatorValue
from .report import (
    ISSUER_ABBREVIATION,
    MINISTRY_ABBREVIATION,
    DocumentCounter,
    Report,
    ReportQuerySet,
    authority_lines,
    is_national_document,
    issuer_abbreviation,
)
from .report_narrative import ReportNarrative

__all__ = [
    "ISSUER_ABBREVIATION",
    "MINISTRY_ABBREVIATION",
    "DocumentCounter",
    "EstablishmentCount",
    "FacilityYearFact",
    "FactsDirty",
    "FactsState",
    "Indicator",
    "IndicatorMilestone",
    "IndicatorValue",
    "Report",
    "ReportNarrative",
    "ReportQuerySet",
    "authority_lines",
    "is_national_document",
    "issuer_abbreviation",
]
