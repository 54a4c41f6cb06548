"""Assessments of the cast's facilities in each workflow state, and an activity for each side."""

import pytest

from assessments.models import Participation

from ..factories import ActivityFactory, AnnualReportFactory, AssessmentFactory, OptionFactory


@pytest.fixture
def draft(facility):
    return AssessmentFactory(facility=facility, state="draft", total_cost_vnd=80_000_000)


@pytest.fixture
def submitted(facility):
    return AssessmentFactory(facility=facility, state="submitted")


@pytest.fixture
def approved(facility):
    return AssessmentFactory(facility=facility, state="approved")


@pytest.fixture
def option(draft):
    return OptionFactory(assessment=draft, status="planned")


@pytest.fixture
def other_assessment(other_facility):
    return AssessmentFactory(facility=other_facility, state="draft")


@pytest.fixture
def other_option(other_assessment):
    return OptionFactory(assessment=other_assessment, status="planned")


@pytest.fixture
def activity(facility):
    activity = ActivityFactory(title="Hội thảo SXSH tại KCN Quế Võ")
    Participation.objects.create(activity=activity, facility=facility, people=3)
    return activity


@pytest.fixture
def other_activity(other_facility):
    activity = ActivityFactory(title="Khóa đào tạo SXSH ngành giấy")
    Participation.objects.create(activity=activity, facility=other_facility, people=2)
    return activity


# --- annual reports (names prefixed so as not to clash with the assessments above) -------------


@pytest.fixture
def draft_report(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="draft")


@pytest.fixture
def submitted_report(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="submitted")


@pytest.fixture
def returned_report(facility):
    return AnnualReportFactory(
        facility=facility, year=2019, state="returned", review_comment="Thiếu số liệu nước."
    )


@pytest.fixture
def approved_report(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="approved")


@pytest.fixture
def other_report(other_facility):
    return AnnualReportFactory(facility=other_facility, year=2019, state="submitted")


@pytest.fixture
def open_deadline(db):
    """The 2019 reports' deadline moved a month ahead, so facilities may still submit them."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import ReportingDeadline

    return ReportingDeadline.objects.create(
        year=2019, deadline=timezone.localdate() + timedelta(days=30)
    )
