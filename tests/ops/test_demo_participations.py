"""The demo seeds participants with bulk_create, past Participation.clean: they must still keep
its rules, among them that a facility takes part only in an activity dated today or earlier
(AWARE_PCT, DESIGN §4)."""

import pytest
from django.utils import timezone

from assessments.models import Participation
from ops.demo import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27  # pre-2025 code: means 2025 Bắc Ninh (24)


def test_the_demo_records_participants_only_of_past_activities():
    seed_demo(facilities=20, seed=3)
    participations = Participation.objects.select_related("activity", "facility")
    assert participations.exists()
    assert not participations.filter(activity__date__gt=timezone.localdate()).exists()
    for participation in participations:
        participation.full_clean()
