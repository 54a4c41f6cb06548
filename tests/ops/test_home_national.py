"""The staff home page of a national installation counts what the staff member's own pages
list: the active accounts card agrees with the accounts list it links to."""

import pytest
from django.urls import reverse
from lxml import html

from accounts.models import Role

from ..assessments.national_helpers import BAC_NINH, HAI_PHONG, national  # noqa: F401
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _user_count(response) -> str:
    page = html.fromstring(response.content)
    (card,) = page.xpath('//div[contains(@class, "stat-card")][.//a[@href="/accounts/users/"]]')
    return card.xpath('.//div[contains(@class, "display-6")]')[0].text_content().strip()


def test_the_accounts_card_counts_the_provinces_own_accounts(client, national):  # noqa: F811
    staff = UserFactory(role=Role.STAFF, province=BAC_NINH)
    UserFactory(role=Role.OFFICIAL, province=BAC_NINH)
    UserFactory(role=Role.OFFICIAL, province=BAC_NINH, is_active=False)
    UserFactory(role=Role.STAFF, province=HAI_PHONG)
    UserFactory(role=Role.OFFICIAL, province=HAI_PHONG)
    UserFactory(role=Role.MINISTRY, province="")
    client.force_login(staff)
    listed = client.get(reverse("accounts:user_list")).context["page"].paginator.count
    assert listed == 3  # the inactive account is listed too, but not counted active
    assert _user_count(client.get("/")) == "2"
