from django.urls import path

from . import import_job_views, import_views, reference_views, views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("import/", import_views.facility_import, name="import"),
    path("import/confirm/", import_views.facility_import_confirm, name="import_confirm"),
    path("import/template/", import_views.facility_import_template, name="import_template"),
    path("import/jobs/<int:pk>/", import_job_views.import_job_detail, name="import_job"),
    path(
        "import/jobs/<int:pk>/progress/",
        import_job_views.import_job_progress,
        name="import_job_progress",
    ),
    path(
        "import/jobs/<int:pk>/confirm/",
        import_job_views.import_job_confirm,
        name="import_job_confirm",
    ),
    path("export/", import_views.facility_export, name="export"),
    path("new/", views.facility_create, name="create"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/close/", views.facility_close, name="close"),
    path("areas/", reference_views.area_list, name="area_list"),
    path("areas/new/", reference_views.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", reference_views.area_edit, name="area_edit"),
    path("areas/<int:pk>/delete/", reference_views.area_delete, name="area_delete"),
    path("sectors/", reference_views.sector_list, name="sector_list"),
]
