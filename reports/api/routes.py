from django.urls import path, register_converter
from django.urls.converters import IntConverter

from . import views

app_name = "api"


class LooseIntConverter(IntConverter):
    """An id as any path segment, checked by the view: a malformed id is a problem-details 404
    like a missing one (`<int:…>` would leave it to the HTML 404 page)."""

    regex = "[^/]+"

    def to_python(self, value):
        return value


register_converter(LooseIntConverter, "api_id")

urlpatterns = [
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("facilities/", views.FacilityListView.as_view(), name="facilities"),
    path(
        "facilities/<api_id:pk>/benchmark/",
        views.FacilityBenchmarkView.as_view(),
        name="facility_benchmark",
    ),
    path("schema/", views.SchemaView.as_view(), name="schema"),
]
