"""The demo data keep the approval rule of assessments (Assessment.approval_errors): no approved
demo assessment has options saving electricity, fuel or water without an approved annual report
of its baseline year to cap them (the savings would enter the year's physical results unchecked),
and each approved one passes the model's checks as the admin would judge it."""

import pytest

from assessments.models import Assessment
from ops.demo import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27  # pre-2025 code: means 2025 Bắc Ninh (24)


@pytest.mark.parametrize(("count", "seed"), [(20, 3), (60, 2016)])
def test_approved_demo_assessments_have_a_baseline_for_their_savings(count, seed):
    seed_demo(facilities=count, seed=seed)
    approved = Assessment.objects.approved().select_related("facility")
    assert approved.exists()
    refused = [
        f"{a} (năm cơ sở {a.baseline_year}): {' '.join(a.approval_errors())}"
        for a in approved
        if a.approval_errors()
    ]
    assert refused == []
