from django.urls import path

from . import import_views, views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("import/", import_views.facility_import, name="import"),
    path("import/confirm/", import_views.facility_import_confirm, name="import_confirm"),
    path("import/template/", import_views.facility_import_template, name="import_template"),
    path("export/", import_views.facility_export, name="export"),
    path("new/", views.facility_create, name="create"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/close/", views.facility_close, name="close"),
]
