"""Issue 18's acceptance, as a new user would run it: a national installation loads every
province, imports two provinces' facilities from one file by the command line, provisions a
province's staff member and the Ministry with add_user; the staff member sees only their
province (web list, API, 404 on the other's pages), the Ministry both (403 on every edit)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from facilities.models import AdminUnit, Facility

from .facilities.import_helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def _first_ward(province: str) -> str:
    return (
        AdminUnit.objects.filter(scheme="2025", level="commune", parent__code=province)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def test_two_provinces_in_one_installation(client, settings, tmp_path, monkeypatch):
    settings.PORTAL_SCOPE = "national"
    call_command("load_admin_units", stdout=StringIO())  # national: every province
    path = tmp_path / "hai-tinh.csv"
    rows = [
        good_row(1, name="Gốm Bắc Ninh", commune_code="", ward_code=_first_ward("24")),
        good_row(2, name="Thép Hải Phòng", commune_code="", ward_code=_first_ward("31")),
    ]
    path.write_bytes(csv_bytes(rows))
    call_command("import_facilities", str(path), stdout=StringIO())
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", "Mat-khau-rat-dai-2026")
    call_command("add_user", "canbo_bn", "--role", "staff", "--province", "24", stdout=StringIO())
    call_command("add_user", "bo_ct", "--role", "ministry", stdout=StringIO())
    ours, theirs = (
        Facility.objects.get(name="Gốm Bắc Ninh"),
        Facility.objects.get(name="Thép Hải Phòng"),
    )
    assert (ours.province, theirs.province) == ("24", "31")

    client.force_login(User.objects.get(username="canbo_bn"))
    listed = client.get(reverse("facilities:list")).text
    assert ours.name in listed and theirs.name not in listed
    api = client.get(reverse("api:facilities")).json()
    assert [item["name"] for item in api["results"]] == [ours.name]
    assert client.get(reverse("facilities:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("facilities:edit", args=[theirs.pk])).status_code == 404

    client.force_login(User.objects.get(username="bo_ct"))
    api = client.get(reverse("api:facilities")).json()
    assert {item["name"] for item in api["results"]} == {ours.name, theirs.name}
    for facility in (ours, theirs):
        assert client.get(reverse("facilities:detail", args=[facility.pk])).status_code == 200
        assert client.get(reverse("facilities:edit", args=[facility.pk])).status_code == 403
        assert client.post(reverse("facilities:close", args=[facility.pk])).status_code == 403
