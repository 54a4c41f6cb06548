from django.urls import path  # noqa: F401  (patterns are added per noun below)

from .views import activities as activity_views
from .views import assessments as assessment_views
from .views import factor_editing as factor_views
from .views import library as library_views
from .views import quality as quality_views
from .views import reminders as reminder_views
from .views import reports as report_views

app_name = "assessments"

urlpatterns = [
    # Annual self-reports (assessments/views/reports.py)
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/queue/", report_views.review_queue, name="review_queue"),
    path("reports/missing/", report_views.missing_reports, name="missing_reports"),
    path(
        "reports/missing/<int:facility_pk>/remind/",
        reminder_views.report_reminder,
        name="report_reminder",
    ),
    path("reports/deadlines/", report_views.deadline_list, name="deadline_list"),
    path(
        "reports/deadlines/exception/",
        report_views.deadline_exception,
        name="deadline_exception",
    ),
    path("reports/import/", report_views.report_import, name="report_import"),
    path(
        "reports/facility/<int:facility_pk>/new/",
        report_views.report_create,
        name="report_create",
    ),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/return/", report_views.report_return, name="report_return"),
    path("reports/<int:pk>/approve/", report_views.report_approve, name="report_approve"),
    path("reports/<int:pk>/reopen/", report_views.report_reopen, name="report_reopen"),
    # Data-quality rules and findings (assessments/views/quality.py)
    path("quality/rules/", quality_views.quality_rule_list, name="quality_rule_list"),
    path("quality/rules/<int:pk>/edit/", quality_views.quality_rule_edit, name="quality_rule_edit"),
    path("quality/findings/", quality_views.quality_findings, name="quality_findings"),
    path("quality/runs/", quality_views.quality_run_start, name="quality_run_start"),
    path(
        "quality/runs/<int:pk>/progress/",
        quality_views.quality_run_progress,
        name="quality_run_progress",
    ),
    # CP assessments and options (assessments/views/assessments.py)
    path("cp/", assessment_views.assessment_list, name="assessment_list"),
    path("cp/new/", assessment_views.assessment_create, name="assessment_create"),
    path("cp/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("cp/<int:pk>/edit/", assessment_views.assessment_edit, name="assessment_edit"),
    path("cp/<int:pk>/submit/", assessment_views.assessment_submit, name="assessment_submit"),
    path("cp/<int:pk>/return/", assessment_views.assessment_return, name="assessment_return"),
    path("cp/<int:pk>/approve/", assessment_views.assessment_approve, name="assessment_approve"),
    path(
        "cp/<int:pk>/approve-draft/",
        assessment_views.assessment_approve_draft,
        name="assessment_approve_draft",
    ),
    path("cp/<int:pk>/reopen/", assessment_views.assessment_reopen, name="assessment_reopen"),
    path("cp/<int:pk>/options/new/", assessment_views.option_create, name="option_create"),
    path("options/<int:pk>/edit/", assessment_views.option_edit, name="option_edit"),
    path("options/<int:pk>/delete/", assessment_views.option_delete, name="option_delete"),
    # The option library (assessments/views/library.py)
    path("library/", library_views.option_library, name="option_library"),
    path(
        "library/examples/new/",
        library_views.library_example_create,
        name="library_example_create",
    ),
    path(
        "library/examples/<int:pk>/edit/",
        library_views.library_example_edit,
        name="library_example_edit",
    ),
    path(
        "library/examples/<int:pk>/visibility/",
        library_views.library_example_visibility,
        name="library_example_visibility",
    ),
    path(
        "library/options/<int:pk>/visibility/",
        library_views.library_option_visibility,
        name="library_option_visibility",
    ),
    # Programme activities (assessments/views/activities.py)
    path("activities/", activity_views.activity_list, name="activity_list"),
    path("activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activity_views.activity_delete, name="activity_delete"),
    # Conversion and grid emission factors (assessments/views/factors.py)
    path("factors/", factor_views.factor_list, name="factor_list"),
    path("factors/<int:pk>/edit/", factor_views.factor_edit, name="factor_edit"),
    path("factors/grid/new/", factor_views.grid_factor_create, name="grid_factor_create"),
    path("factors/grid/<int:pk>/edit/", factor_views.grid_factor_edit, name="grid_factor_edit"),
]
