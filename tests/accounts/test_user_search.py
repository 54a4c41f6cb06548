"""Staff search the accounts as they search facilities: accents and case aside, by user name,
full name or e-mail, within the accounts they manage."""

import pytest
from django.urls import reverse

from accounts.models import Role

from ..factories import UserFactory

URL = reverse("accounts:user_list")


@pytest.fixture
def accounts(db):
    UserFactory(username="thuha", full_name="Nguyễn Thị Thu Hà", role=Role.OFFICIAL)
    UserFactory(username="dung", full_name="Trần Văn Dũng", email="dung@soct.gov.vn")


@pytest.mark.parametrize(
    ("q", "found", "not_found"),
    [
        ("nguyen thi thu ha", "thuha", "dung"),
        ("NGUYỄN", "thuha", "dung"),
        ("dũng", "dung", "thuha"),
        ("dung", "dung", "thuha"),
        ("soct.gov", "dung", "thuha"),
    ],
)
def test_search_ignores_accents_and_case(client, staff, accounts, q, found, not_found):
    client.force_login(staff)
    response = client.get(URL, {"q": q})
    usernames = {account.username for account in response.context["page"].object_list}
    assert found in usernames
    assert not_found not in usernames


def test_no_match_says_so(client, staff, accounts):
    client.force_login(staff)
    response = client.get(URL, {"q": "không ai"})
    assert list(response.context["page"].object_list) == []
    assert "Không có tài khoản nào phù hợp" in response.text
