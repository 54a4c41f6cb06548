"""The models of this app, one module per noun; import them from here."""

from .admin_unit import AdminUnit, place_provinces, place_search_names
from .facility import SEARCH_TEXT_LENGTH, Facility, FacilityQuerySet, facility_search_text
from .import_job import ImportJob, ImportJobQuerySet
from .industrial_area import IndustrialArea
from .industry_code import IndustryCode

__all__ = [
    "SEARCH_TEXT_LENGTH",
    "AdminUnit",
    "Facility",
    "FacilityQuerySet",
    "ImportJob",
    "ImportJobQuerySet",
    "IndustrialArea",
    "IndustryCode",
    "facility_search_text",
    "place_provinces",
    "place_search_names",
]
