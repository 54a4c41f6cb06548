from django.urls import path  # noqa: F401  (patterns are added per noun below)

app_name = "reports"

urlpatterns = [
    # Dashboard, indicators, plan periods, help (reports/views.py)
    # Generated report files (reports/report_views.py)
]
