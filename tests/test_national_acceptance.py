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


def _figures(client, **params) -> dict:
    body = client.get(reverse("api:indicators"), {"year": 2018, **params}).json()
    if "groups" in body:
        return {
            group["key"]: {
                i["code"]: (i["numerator"], i["denominator"]) for i in group["indicators"]
            }
            for group in body["groups"]
        }
    return {i["code"]: (i["numerator"], i["denominator"]) for i in body["indicators"]}


def test_two_provinces_figures_add_up(client, settings, tmp_path, monkeypatch):
    """Annual reports imported by the command for two provinces: each province's staff get their
    province's figures, the Ministry the country's, equal to the sum of `group=province` and to
    the DESIGN §4 counts by hand."""
    settings.PORTAL_SCOPE = "national"
    call_command("load_admin_units", stdout=StringIO())
    facilities = tmp_path / "co-so.csv"
    rows = [
        good_row(1, commune_code="", ward_code=_first_ward("24")),
        good_row(2, commune_code="", ward_code=_first_ward("24")),
        good_row(3, commune_code="", ward_code=_first_ward("31")),
        good_row(4, commune_code="", ward_code=_first_ward("31")),
    ]
    facilities.write_bytes(csv_bytes(rows))
    call_command("import_facilities", str(facilities), stdout=StringIO())
    # 2018, by hand: Bắc Ninh 1 aware of 2 (no report for the second), nobody applying;
    # Hải Phòng one applying (so aware too) and one neither: 1 of 2 aware, 1 of 2 applying.
    # The country: 2 of 4 aware, 1 of 4 applying.
    reports = tmp_path / "bao-cao.csv"
    reports.write_bytes(
        csv_bytes(
            [
                {"tax_code": rows[0]["tax_code"], "year": "2018", "aware": "có", "applies_cp": ""},
                {"tax_code": rows[2]["tax_code"], "year": "2018", "aware": "", "applies_cp": "có"},
                {"tax_code": rows[3]["tax_code"], "year": "2018", "aware": "", "applies_cp": ""},
            ]
        )
    )
    call_command("import_annual_reports", str(reports), stdout=StringIO())
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", "Mat-khau-rat-dai-2026")
    call_command("add_user", "canbo_bn", "--role", "staff", "--province", "24", stdout=StringIO())
    call_command(
        "add_user", "lanhdao_hp", "--role", "official", "--province", "31", stdout=StringIO()
    )
    call_command("add_user", "bo_ct", "--role", "ministry", stdout=StringIO())

    client.force_login(User.objects.get(username="canbo_bn"))
    bac_ninh = _figures(client)
    assert (bac_ninh["AWARE_PCT"], bac_ninh["APPLY_PCT"]) == ((1, 2), (0, 2))
    client.force_login(User.objects.get(username="lanhdao_hp"))
    hai_phong = _figures(client)
    assert (hai_phong["AWARE_PCT"], hai_phong["APPLY_PCT"]) == ((1, 2), (1, 2))
    client.force_login(User.objects.get(username="bo_ct"))
    country = _figures(client)
    assert (country["AWARE_PCT"], country["APPLY_PCT"]) == ((2, 4), (1, 4))
    by_province = _figures(client, group="province")
    assert set(by_province) == {"24", "31"}
    for code in ("AWARE_PCT", "APPLY_PCT", "ENT_UNIT_PCT"):
        total = [sum(group[code][i] for group in by_province.values()) for i in (0, 1)]
        assert tuple(total) == country[code], code
    assert by_province["24"]["AWARE_PCT"] == bac_ninh["AWARE_PCT"]
    assert by_province["31"]["APPLY_PCT"] == hai_phong["APPLY_PCT"]
