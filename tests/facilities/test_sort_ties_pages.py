"""Every sort of the facility list ends with the id: walking the API's (or the list page's) pages
of facilities that share the sorted value and the name returns each facility exactly once."""

import pytest

from facilities.models import Facility

from ..factories import CommuneFactory, FacilityFactory

API = "/api/v1/facilities/"
NAME = "Cơ sở tái chế giấy"


@pytest.fixture
def alike(db):
    """120 facilities of one name, year and workforce (the API pages 50 at a time)."""
    commune = CommuneFactory()
    pks = [FacilityFactory(commune=commune).pk for _ in range(120)]
    # Made alike afterwards, as a data correction would: the rows' storage order is no longer
    # their creation order, so nothing but the sort itself keeps the pages apart.
    Facility.objects.filter(pk__in=pks[::2]).update(name=NAME, established_year=2010, employees=20)
    Facility.objects.filter(pk__in=pks).update(name=NAME, established_year=2010, employees=20)
    return set(pks)


def _walk(client, sort, *, between_pages=None) -> list[int]:
    """The ids of every page in turn; `between_pages(ids so far)` runs after each page."""
    ids, url = [], f"{API}?sort={sort}"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
        if between_pages is not None:
            between_pages(ids)
    return ids


def _someone_edits_the_contact_of(ids):
    """An edit that changes none of the sorted values (a contact phone), as staff may make while
    an API client walks the pages: the rows' storage order changes, the facilities' order not."""
    Facility.objects.filter(pk__in=ids[:20]).update(contact_phone="0912345678")


@pytest.mark.parametrize(
    "sort",
    [
        "established_year",
        "-established_year",
        "employees",
        "-employees",
        "tax_code",
        "name",
        "-name",
        "-updated_at",
    ],
)
def test_each_facility_comes_once_over_the_pages(client, staff, alike, sort):
    client.force_login(staff)

    ids = _walk(client, sort, between_pages=_someone_edits_the_contact_of)

    assert len(ids) == len(alike)
    assert set(ids) == alike


@pytest.mark.parametrize("sort", ["established_year", "-employees"])
def test_ties_are_in_id_order(client, staff, alike, sort):
    client.force_login(staff)

    assert _walk(client, sort) == sorted(alike)
