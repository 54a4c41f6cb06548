from django.urls import path

from .api.views import docs as api_docs
from .views import dashboard, facility_intensity, generated_reports, narrative, plan, progress

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "indicators/<str:code>/<int:year>/<str:part>/",
        dashboard.indicator_facilities,
        name="indicator_facilities",
    ),
    path("help/", dashboard.help_page, name="help"),
    path("api/", api_docs, name="api_docs"),
    path("my-facility/", facility_intensity.my_facility, name="my_facility"),
    path(
        "facility/<int:pk>/intensity/",
        facility_intensity.facility_intensity,
        name="facility_intensity",
    ),
    # Issue 17: a facility's own progress and its PDF summary; the staff's benchmark tables
    path("facility/<int:pk>/progress/", progress.facility_progress, name="facility_progress"),
    path(
        "facility/<int:pk>/progress/summary.pdf",
        progress.facility_progress_pdf,
        name="facility_progress_pdf",
    ),
    path("benchmark/", progress.sector_score_table, name="sector_scores"),
    path("benchmark/export.xlsx", progress.sector_score_export, name="sector_scores_export"),
    path("plan/", plan.plan, name="plan"),
    path("plan/establishments/", plan.establishments, name="establishments"),
    path("plan/periods/new/", plan.period_create, name="period_create"),
    path("plan/periods/<int:pk>/edit/", plan.period_edit, name="period_edit"),
    path(
        "plan/periods/<int:period_pk>/indicators/new/",
        plan.indicator_create,
        name="indicator_create",
    ),
    path("plan/indicators/<int:pk>/edit/", plan.indicator_edit, name="indicator_edit"),
    path("plan/indicators/<int:pk>/values/", plan.indicator_values, name="indicator_values"),
    path(
        "plan/indicators/<int:pk>/milestones/",
        plan.indicator_milestones,
        name="indicator_milestones",
    ),
    # Generated report files (reports/views/generated_reports.py)
    path("files/", generated_reports.report_list, name="list"),
    path("files/new/", generated_reports.report_request, name="request"),
    path("files/narrative/", narrative.narrative_start, name="narrative_start"),
    path(
        "files/narrative/<int:year>/<str:period>/",
        narrative.narrative_edit,
        name="narrative",
    ),
    path("files/<int:pk>/", generated_reports.report_detail, name="detail"),
    path("files/<int:pk>/progress/", generated_reports.report_progress, name="progress"),
    path("files/<int:pk>/download/", generated_reports.report_download, name="download"),
    path("files/<int:pk>/delete/", generated_reports.report_delete, name="delete"),
    path("files/<int:pk>/issue/", generated_reports.report_issue, name="issue"),
    path("register/", generated_reports.register, name="register"),
    path("register/export.xlsx", generated_reports.register_export, name="register_export"),
]
