"""The facility list caches its filter lists and the registry's size under the data version
(core/data_version.py); a change is on the next page view. Transactional: the cache only
serves committed data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities.models import Facility, IndustrialArea

from ..factories import CommuneFactory, FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("facilities:list")


def shown_total(response) -> str:
    return re.search(r'id="facility-count">([^<]*)<', response.text).group(1).strip()


def option_labels(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.text, re.S).group(0)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


def tables(queries) -> set[str]:
    return {t for q in queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}


@pytest.fixture
def registry():
    commune = CommuneFactory(name="Xã Phương Liễu")
    FacilityFactory.create_batch(3, commune=commune)
    return commune


def test_the_second_view_reads_neither_the_lists_nor_the_count(client, staff, registry):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as first:
        assert shown_total(client.get(URL)) == "3 / 3 cơ sở"
    with CaptureQueriesContext(connection) as second:
        response = client.get(URL)

    assert shown_total(response) == "3 / 3 cơ sở"
    assert "Xã Phương Liễu" in option_labels(response, "commune")
    assert {"facilities_adminunit", "facilities_industrialarea"} <= tables(first.captured_queries)
    assert "facilities_adminunit" not in tables(second.captured_queries)
    assert "facilities_industrialarea" not in tables(second.captured_queries)
    counts = [q for q in second.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts == []
    assert len(second.captured_queries) < len(first.captured_queries)


def test_changes_show_on_the_next_view(client, staff, registry):
    client.force_login(staff)
    client.get(URL)  # fills the cache

    registry.name = "Phường Phương Liễu"
    registry.save()
    IndustrialArea.objects.create(name="CCN Phong Khê", kind=IndustrialArea.Kind.CCN)
    FacilityFactory(commune=registry)
    response = client.get(URL)

    assert shown_total(response) == "4 / 4 cơ sở"
    assert "Phường Phương Liễu" in option_labels(response, "commune")
    assert "Xã Phương Liễu" not in option_labels(response, "commune")
    assert "CCN Phong Khê" in option_labels(response, "industrial_area")


def test_the_selected_option_follows_the_request(client, staff, registry):
    client.force_login(staff)
    client.get(URL)
    response = client.get(URL, {"commune": registry.pk})

    select = re.search(r'<select name="commune".*?</select>', response.text, re.S).group(0)
    assert re.search(rf'<option value="{registry.pk}" selected>', select)
    assert shown_total(response) == "3 / 3 cơ sở"


def test_a_facility_user_gets_their_own_count_not_the_registry_size(
    client, staff, facility_user, registry
):
    client.force_login(staff)
    client.get(URL)  # caches the registry's size
    client.force_login(facility_user)

    response = client.get(URL)

    own = Facility.objects.filter(users=facility_user).count()
    assert shown_total(response) == f"{own} / {own} cơ sở"


def test_values_sent_by_a_request_never_become_cache_keys(client, staff, registry):
    from django.core.cache import cache

    client.force_login(staff)
    sent = [f"không-có-xã-{n}" for n in range(5)]
    for value in sent:
        response = client.get(URL, {"commune": value, "district": "<script>"})
        assert response.status_code == 200
        assert "<script>" not in response.text

    keys = list(cache._cache)  # the local-memory cache of the test settings
    assert keys
    assert not [key for key in keys if "script" in key or "không" in key]
