"""The progress page's "no score yet" cell counts the peers with the language's plural forms:
"1 peer", "2 peers" in English (reports:facility_progress)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ..factories import FacilityFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db


def _no_score_cell(client, facility) -> str:
    page = client.get(reverse("reports:facility_progress", args=[facility.pk])).text
    return page.split('<td class="small">', 1)[1].split("</td>", 1)[0]


@pytest.fixture
def english_user(facility_user):
    facility_user.language = "en"
    facility_user.save(update_fields=["language"])
    return facility_user


def test_one_peer_is_singular_in_english(client, english_user, facility):
    report(facility, 2018, coal_t=Decimal(100))  # alone in its group: itself the one peer
    client.force_login(english_user)
    assert _no_score_cell(client, facility) == "no score: 1 peer (at least 10 needed)"


def test_two_peers_are_plural_in_english(client, english_user, facility):
    report(facility, 2018, coal_t=Decimal(100))
    report(FacilityFactory(industry=facility.industry), 2018, coal_t=Decimal(50))
    client.force_login(english_user)
    assert _no_score_cell(client, facility) == "no score: 2 peers (at least 10 needed)"


def test_vietnamese_has_one_form(client, facility_user, facility):
    report(facility, 2018, coal_t=Decimal(100))
    client.force_login(facility_user)
    assert _no_score_cell(client, facility) == "chưa có điểm: 1 cơ sở so sánh (cần ít nhất 10)"
