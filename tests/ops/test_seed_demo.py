"""seed_demo: realistic, reproducible demo data and the three demo users.

The demo province is 2025 Bắc Ninh (24): old Bắc Ninh 27 and old Bắc Giang 24 merged."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from facilities.models import AdminUnit, Facility, IndustrialArea
from facilities.validators import is_valid_tax_code
from ops.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db

COUNT = 16


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27  # pre-2025 code: means 2025 Bắc Ninh (24)


@pytest.fixture
def seeded():
    return seed_demo(facilities=COUNT, seed=7)


def snapshot():
    return sorted(Facility.objects.values_list("tax_code", "name", "commune__code", "ward__code"))


def test_creates_the_requested_facilities(seeded):
    assert seeded["facilities_created"] == COUNT
    assert Facility.objects.count() == COUNT


def test_a_large_demo_still_gets_distinct_names():
    # The FDI electronics firms have few brands: past them, names are numbered, never refused.
    summary = seed_demo(facilities=240, seed=3)
    assert summary["facilities_created"] == 240
    names = list(Facility.objects.values_list("name", flat=True))
    assert len(set(names)) == 240


def test_tax_codes_are_valid_and_communes_in_the_province(seeded):
    facilities = Facility.objects.select_related("commune__parent__parent", "ward__parent")
    for facility in facilities.select_related("industry"):
        assert is_valid_tax_code(facility.tax_code), facility.tax_code
        assert 10 <= int(facility.industry.division_code) <= 33
        if facility.commune is not None:
            assert facility.commune.level == "commune"
            assert facility.commune.scheme == "pre2025"
            old_province = facility.commune.parent.parent.code
            assert old_province in {"24", "27"}
            # Tax offices: Bắc Ninh's codes start with 230, Bắc Giang's with 240.
            assert facility.tax_code[:3] == {"27": "230", "24": "240"}[old_province]
        if facility.ward is not None:
            assert (facility.ward.level, facility.ward.scheme) == ("commune", "2025")
            assert facility.ward.parent.code == "24"


def _successors(facility) -> list[str]:
    return sorted(facility.commune.successors.values_list("code", flat=True))


def test_facilities_in_both_old_provinces_with_both_addresses(seeded):
    facilities = list(Facility.objects.select_related("commune__parent__parent", "ward"))
    old = [f for f in facilities if f.commune is not None]
    assert {f.commune.parent.parent.code for f in old} == {"24", "27"}
    # An old commune with exactly one 2025 successor: the facility has that ward.
    for facility in old:
        if len(_successors(facility)) == 1:
            assert facility.ward.code == _successors(facility)[0], facility
    with_both = [f for f in old if f.ward is not None]
    assert len(with_both) >= COUNT * 0.7


def test_some_registered_by_2025_ward_only(seeded):
    ward_only = list(Facility.objects.filter(commune__isnull=True))
    assert 1 <= len(ward_only) <= COUNT * 0.2
    for facility in ward_only:
        assert facility.ward is not None
        assert facility.established_year >= 2025  # registered since the reorganisation
        assert facility.status == Facility.Status.ACTIVE
        assert not facility.annual_reports.filter(year__lt=facility.established_year).exists()


def test_some_need_a_2025_address(seeded):
    waiting = list(Facility.objects.filter(ward__isnull=True).select_related("commune"))
    assert 1 <= len(waiting) <= 3
    for facility in waiting:
        # Its old commune has no single 2025 successor (split, or not in the mapping).
        assert facility.commune is not None and len(_successors(facility)) != 1


def test_needs_ward_page_lists_them(seeded, client):
    client.force_login(User.objects.get(username="canbo"))
    page = client.get(reverse("facilities:needs_ward"))
    assert page.status_code == 200
    for facility in Facility.objects.filter(ward__isnull=True):
        assert facility.name in page.text


def test_mix_of_sizes_ownership_risks_and_status(seeded):
    facilities = list(Facility.objects.all())
    assert {f.size_class() for f in facilities} == {"micro", "small", "medium", "large"}
    assert {f.ownership for f in facilities} >= {"private", "fdi"}
    assert len({f.industry_id for f in facilities}) >= 8
    assert any(f.high_pollution_risk for f in facilities)
    assert sum(f.key_energy_user for f in facilities) == 2
    closed = [f for f in facilities if f.status == Facility.Status.CLOSED]
    assert len(closed) == 2
    assert all(f.closed_year and f.closed_year >= (f.established_year or 0) for f in closed)


def test_industrial_areas_are_created(seeded):
    assert IndustrialArea.objects.filter(name="KCN Quế Võ", kind="kcn").exists()
    assert IndustrialArea.objects.filter(name="CCN Phong Khê", kind="ccn").exists()
    assert IndustrialArea.objects.filter(name="Làng nghề giấy Phong Khê", kind="craft").exists()
    assert IndustrialArea.objects.filter(district__isnull=True).count() == 0
    # Old Bắc Giang's zones, in their old districts.
    for name, district in (
        ("KCN Quang Châu", "Thị xã Việt Yên"),
        ("KCN Đình Trám", "Thị xã Việt Yên"),
        ("KCN Vân Trung", "Thị xã Việt Yên"),
        ("KCN Song Khê – Nội Hoàng", "Thành phố Bắc Giang"),
    ):
        area = IndustrialArea.objects.select_related("district__parent").get(name=name)
        assert (area.kind, area.district.name, area.district.parent.code) == ("kcn", district, "24")


def test_loads_the_merged_province():
    seed_demo(facilities=2, seed=1)
    provinces = AdminUnit.objects.filter(level="province")
    assert set(provinces.values_list("scheme", "code")) == {
        ("2025", "24"),
        ("pre2025", "24"),
        ("pre2025", "27"),
    }
    assert AdminUnit.objects.filter(scheme="2025", level="commune", parent__code="24").count() > 90


def test_same_seed_same_data_in_two_fresh_runs():
    with transaction.atomic():
        seed_demo(facilities=COUNT, seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Facility.objects.exists()
    seed_demo(facilities=COUNT, seed=7)
    assert snapshot() == first


def test_running_again_creates_no_duplicates(seeded):
    first = snapshot()
    again = seed_demo(facilities=COUNT, seed=7)
    assert again["facilities_created"] == 0
    assert again["facilities_updated"] == 0
    assert snapshot() == first


def test_another_seed_gives_other_facilities(seeded):
    first = {row[0] for row in snapshot()}
    seed_demo(facilities=COUNT, seed=8)
    assert Facility.objects.count() == 2 * COUNT
    assert len({row[0] for row in snapshot()} - first) == COUNT


def test_demo_users_and_roles(seeded):
    canbo = User.objects.get(username="canbo")
    coso = User.objects.get(username="coso")
    lanhdao = User.objects.get(username="lanhdao")
    assert (canbo.role, canbo.is_staff, canbo.is_superuser) == (Role.STAFF, False, False)
    assert (lanhdao.role, lanhdao.is_staff) == (Role.OFFICIAL, False)
    assert coso.role == Role.FACILITY
    assert coso.facilities.count() == 1
    assert not User.objects.filter(username="admin").exists()


def test_coso_can_log_in_with_the_demo_password(seeded, client, rf):
    # django-axes needs the request that Client.login does not pass by itself.
    assert client.login(request=rf.post("/"), username="coso", password=DEMO_PASSWORD)


def test_coso_logs_in_through_the_page_and_sees_their_facility(seeded, client):
    response = client.post(
        reverse("accounts:login"), {"username": "coso", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    facility = User.objects.get(username="coso").facilities.get()
    page = client.get(facility.get_absolute_url())
    assert page.status_code == 200
    assert facility.name in page.text and facility.tax_code in page.text


def test_a_national_demo_scopes_staff_and_officials_and_adds_a_ministry_reader(settings, client):
    settings.PORTAL_SCOPE = "national"
    summary = seed_demo(facilities=6, seed=5)
    users = {u["username"]: u["role"] for u in summary["users"]}
    assert users == {
        "canbo": Role.STAFF,
        "coso": Role.FACILITY,
        "lanhdao": Role.OFFICIAL,
        "bocongthuong": Role.MINISTRY,
    }
    assert dict(User.objects.values_list("username", "province")) == {
        "canbo": "24",
        "coso": "",
        "lanhdao": "24",
        "bocongthuong": "",
    }
    for username in ("canbo", "lanhdao", "bocongthuong"):
        client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        listed = client.get(reverse("api:facilities")).json()
        assert listed["count"] == 6, username
        client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "bocongthuong", "password": DEMO_PASSWORD})
    assert client.get(reverse("facilities:create")).status_code == 403


def test_a_one_province_demo_has_no_ministry_reader(seeded):
    assert not User.objects.filter(role=Role.MINISTRY).exists()
    assert set(User.objects.values_list("province", flat=True)) == {""}


def test_existing_user_keeps_password_and_role():
    User.objects.create_user(username="canbo", password="mat-khau-rieng", role=Role.OFFICIAL)
    summary = seed_demo(facilities=4, seed=1)
    canbo = User.objects.get(username="canbo")
    assert canbo.check_password("mat-khau-rieng")
    assert canbo.role == Role.OFFICIAL
    assert {u["username"]: u["created"] for u in summary["users"]}["canbo"] is False


def test_password_is_set_only_when_creating(seeded):
    coso = User.objects.get(username="coso")
    coso.set_password("doi-mat-khau-2026")
    coso.save()
    seed_demo(facilities=COUNT, seed=7)
    coso.refresh_from_db()
    assert coso.check_password("doi-mat-khau-2026")


def test_command_prints_summary_and_logins(settings):
    settings.DEBUG = True  # as `make run` runs it; with DEBUG off it needs --force
    out = StringIO()
    call_command("seed_demo", "--facilities", "5", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "Cơ sở SXCN: 5" in text
    assert "Tỉnh Bắc Ninh (gồm các tỉnh cũ mã 27, 24)" in text
    assert "Báo cáo năm 2016–2025" in text
    assert "Kiểm tra chất lượng số liệu:" in text
    # One column for the passwords, however long the longest username.
    logins = [line for line in text.splitlines() if f"/ {DEMO_PASSWORD}" in line]
    assert any(line.split()[0] == "coso" for line in logins)
    assert len({line.index(" / ") for line in logins}) == 1
    assert Facility.objects.count() == 5


def test_command_if_empty_skips_a_filled_database(seeded):
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--facilities", "3", "--force", stdout=out)
    assert Facility.objects.count() == COUNT
    assert "bỏ qua" in out.getvalue()


def test_the_seeded_reports_are_checked_by_the_data_quality_rules(seeded):
    """The seed writes in bulk (no rule runs on save): it checks its reports once, so the
    findings of the demo are there from the start, as after staff's "check all data again"."""
    from assessments.models import QualityFinding
    from assessments.quality_jobs import check_all_reports

    stored = QualityFinding.objects.open().count()
    assert stored > 0
    assert seeded["quality_findings"] == stored
    assert check_all_reports()[1] == stored  # checking again finds the same


def test_the_demo_facility_sees_its_sector_benchmark_score(client):
    """The default demo (60 facilities, seed 2016) has a peer group large enough for a score
    (DESIGN §4: 10 facilities of a VSIC division and product unit): the paper mills of Phong Khê,
    among them the facility of the demo `coso` account."""
    seed_demo()
    coso = User.objects.get(username="coso")
    facility = coso.facilities.get()
    client.force_login(coso)
    url = reverse("api:facility_benchmark", args=[facility.pk])
    scored = [client.get(url, {"year": year}).json()["score"] for year in range(2016, 2021)]
    assert any(score is not None for score in scored), scored


@pytest.mark.parametrize("count", ["0", "-3"])
def test_command_refuses_no_facilities_with_a_message(settings, count):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--facilities phải là số nguyên từ 1 trở lên"):
        call_command("seed_demo", "--facilities", count)
    assert not Facility.objects.exists()
