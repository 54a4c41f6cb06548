from django.urls import path  # noqa: F401  (patterns are added per noun below)

app_name = "assessments"

urlpatterns = [
    # Annual self-reports (assessments/views/reports.py)
    # CP assessments and options (assessments/views/assessments.py)
    # Programme activities (assessments/views/activities.py)
]
