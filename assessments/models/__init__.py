"""The models of this app, one module per noun; import them from here."""

from .activity import Activity, ActivityQuerySet, Participation
from .annual_report import (
    ENERGY_FIELDS,
    AnnualReport,
    AnnualReportQuerySet,
    DeadlineException,
    ReportingDeadline,
    default_deadline,
)
from .assessment import (
    OPTION_ENERGY_FIELDS,
    Assessment,
    Option,
    OptionCategory,
    OptionGroup,
    payback_years,
)
from .factor import ConversionFactor, GridEmissionFactor
from .fields import NON_NEGATIVE, amount_field
from .library import LibraryExample
from .plan import PlanPeriod, PlanPeriodQuerySet, plan_years, valid_report_year
from .quality import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    QualityFinding,
    QualityRule,
    QualityRun,
    Severity,
)
from .workflow import (
    COMMENTED_STATES,
    EDITABLE_BY_FACILITY,
    TRANSITIONS,
    Actor,
    Reviewed,
    Transition,
    WorkflowError,
    WorkflowEvent,
    WorkflowQuerySet,
    WorkflowState,
    WorkflowTexts,
    actor_of,
    state_after_import,
    state_after_save,
)

__all__ = [
    "COMMENTED_STATES",
    "EDITABLE_BY_FACILITY",
    "ENERGY_FIELDS",
    "NON_NEGATIVE",
    "OPTION_ENERGY_FIELDS",
    "TRANSITIONS",
    "Activity",
    "ActivityQuerySet",
    "Actor",
    "AnnualReport",
    "AnnualReportQuerySet",
    "Assessment",
    "ConversionFactor",
    "DeadlineException",
    "GridEmissionFactor",
    "LibraryExample",
    "Option",
    "OptionCategory",
    "OptionGroup",
    "Participation",
    "PlanPeriod",
    "PlanPeriodQuerySet",
    "QualityFinding",
    "QualityRule",
    "QualityRun",
    "ReportingDeadline",
    "Reviewed",
    "SEVERITY_LABELS",
    "SEVERITY_ORDER",
    "Severity",
    "Transition",
    "WorkflowError",
    "WorkflowEvent",
    "WorkflowQuerySet",
    "WorkflowState",
    "WorkflowTexts",
    "actor_of",
    "amount_field",
    "default_deadline",
    "payback_years",
    "plan_years",
    "state_after_import",
    "state_after_save",
    "valid_report_year",
]
