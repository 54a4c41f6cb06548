from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("facilities/", views.FacilityListView.as_view(), name="facilities"),
    path(
        "facilities/<int:pk>/benchmark/",
        views.FacilityBenchmarkView.as_view(),
        name="facility_benchmark",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
