from django.urls import path

from .views import areas_and_sectors, background_imports, imports, registry

app_name = "facilities"

urlpatterns = [
    path("", registry.facility_list, name="list"),
    path("import/", imports.facility_import, name="import"),
    path("import/confirm/", imports.facility_import_confirm, name="import_confirm"),
    path("import/template/", imports.facility_import_template, name="import_template"),
    path("import/result/", imports.facility_import_result, name="import_result"),
    path("import/jobs/<int:pk>/", background_imports.import_job_detail, name="import_job"),
    path(
        "import/jobs/<int:pk>/progress/",
        background_imports.import_job_progress,
        name="import_job_progress",
    ),
    path(
        "import/jobs/<int:pk>/confirm/",
        background_imports.import_job_confirm,
        name="import_job_confirm",
    ),
    path("export/", imports.facility_export, name="export"),
    path("new/", registry.facility_create, name="create"),
    path("needs-ward/", registry.facility_needs_ward, name="needs_ward"),
    path("<int:pk>/", registry.facility_detail, name="detail"),
    path("<int:pk>/edit/", registry.facility_edit, name="edit"),
    path("<int:pk>/close/", registry.facility_close, name="close"),
    path("areas/", areas_and_sectors.area_list, name="area_list"),
    path("areas/new/", areas_and_sectors.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", areas_and_sectors.area_edit, name="area_edit"),
    path("areas/<int:pk>/delete/", areas_and_sectors.area_delete, name="area_delete"),
    path("sectors/", areas_and_sectors.sector_list, name="sector_list"),
]
