"""A national installation (PORTAL_SCOPE=national, DESIGN §2, issue 18 point 1): staff and
officials see their own province only — another province's facility, report, assessment, import
job or generated file is 404 —, the Ministry reads every province and edits nothing, and a
one-province installation behaves as before."""

import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role, User
from assessments.models import PlanPeriod
from facilities.models import AdminUnit, Facility, ImportJob
from reports import generation
from reports import indicators as ind
from reports.models import Report

from ..assessments.national_helpers import two_province_facilities
from ..factories import (
    AnnualReportFactory,
    AssessmentFactory,
    FacilityFactory,
    ProvinceFactory,
    UserFactory,
)
from ..reports.indicator_helpers import YEAR, report
from .conftest import make_records
from .routes import all_routes
from .test_idor_matrix import MATRIX, PAYLOAD, _url, snapshot
from .test_url_walk import PUBLIC

pytestmark = pytest.mark.django_db

# By hand (DOMAIN.md, territory since 1 July 2025): old Bắc Ninh (27) is part of the 2025
# province Bắc Ninh, code 24; Hải Phòng kept its code 31.
BAC_NINH, HAI_PHONG = "24", "31"


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def places():
    return two_province_facilities()


@pytest.fixture
def people():
    return {
        "staff_bn": UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH),
        "staff_hp": UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG),
        "official_bn": UserFactory(username="lanhdao_bn", role=Role.OFFICIAL, province=BAC_NINH),
        "staff_none": UserFactory(username="canbo_chua_gan", role=Role.STAFF),
        "ministry": UserFactory(username="bo_cong_thuong", role=Role.MINISTRY),
    }


def test_each_facility_knows_its_2025_province(places):
    bac_ninh, hai_phong = places
    assert Facility.objects.get(pk=bac_ninh.pk).province == BAC_NINH
    assert Facility.objects.get(pk=hai_phong.pk).province == HAI_PHONG


def test_staff_see_only_their_province(client, national, places, people):
    bac_ninh, hai_phong = places
    client.force_login(people["staff_bn"])
    listed = client.get(reverse("facilities:list")).text
    assert bac_ninh.name in listed and hai_phong.name not in listed
    assert client.get(reverse("facilities:detail", args=[bac_ninh.pk])).status_code == 200
    for name in ("facilities:detail", "facilities:edit", "facilities:close"):
        assert client.get(reverse(name, args=[hai_phong.pk])).status_code == 404, name


@pytest.mark.django_db(transaction=True)  # the cache serves committed data only
def test_the_registry_counts_are_per_province(client, national, places, people):
    FacilityFactory(name="Dệt may Bắc Ninh")  # a second facility in Bắc Ninh
    client.force_login(people["staff_bn"])
    assert client.get(reverse("facilities:list")).context["total"] == 2
    # The cached count of one province is not another's.
    client.force_login(people["staff_hp"])
    response = client.get(reverse("facilities:list"))
    assert response.context["total"] == 1
    assert response.context["needs_ward_count"] == 0  # Hải Phòng's one facility has its ward


def test_another_provinces_records_are_404(client, national, places, people):
    _, hai_phong = places
    report = AnnualReportFactory(facility=hai_phong, year=2024, state="submitted")
    assessment = AssessmentFactory(facility=hai_phong)
    job = ImportJob.objects.create(
        file_path="imports/x.xlsx", original_name="x.xlsx", requested_by=people["staff_hp"]
    )
    generated = Report.objects.create(
        year=2024, format="pdf", province=HAI_PHONG, requested_by=people["staff_hp"]
    )
    client.force_login(people["staff_bn"])
    urls = [
        reverse("assessments:report_detail", args=[report.pk]),
        reverse("assessments:report_approve", args=[report.pk]),
        reverse("assessments:assessment_detail", args=[assessment.pk]),
        reverse("facilities:import_job", args=[job.pk]),
        reverse("reports:detail", args=[generated.pk]),
        reverse("reports:download", args=[generated.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("assessments:report_approve", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.state == "submitted"
    # Their own province's staff do see them.
    client.force_login(people["staff_hp"])
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[3]).status_code == 200
    assert client.get(urls[4]).status_code == 200


def test_activities_offer_only_the_provinces_facilities(client, national, places, people):
    bac_ninh, hai_phong = places
    client.force_login(people["staff_bn"])
    page = client.get(reverse("assessments:activity_create")).text
    assert bac_ninh.name in page and hai_phong.name not in page


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_record_url_of_another_province_is_404(client, national, places, people, name):
    """The IDOR matrix (test_idor_matrix.py) with a staff member of another province: every
    facility-scoped URL answers 404, by GET and POST, and changes nothing."""
    _, hai_phong = places
    records = make_records(hai_phong)
    url = _url(name, records[MATRIX[name]])
    client.force_login(people["staff_bn"])
    before = snapshot()
    get, post = client.get(url), client.post(url, PAYLOAD)
    # Submitting is the facility's step: staff may get 403 for every pk, which reveals nothing.
    expected = (403, 404) if name in FACILITY_STEPS else (404,)
    assert post.status_code in expected
    assert get.status_code in (*expected, 405)
    assert snapshot() == before
    # Hải Phòng's own staff do reach it (the matrix tests the scope, not a broken URL).
    client.force_login(people["staff_hp"])
    assert client.get(url).status_code in ((403,) if name in FACILITY_STEPS else (200, 405))


FACILITY_STEPS = {"assessments:report_submit", "assessments:assessment_submit"}


def test_the_ministry_changes_nothing_anywhere(client, national, places, people):
    """A POST to every page of the portal (its records' own URLs included) as the Ministry
    leaves every row of the registry, reports, assessments and plans as it was."""
    _, hai_phong = places
    records = make_records(hai_phong)
    client.force_login(people["ministry"])
    before = {k: v for k, v in snapshot().items() if not k.startswith("accounts.")}
    answers = {}
    for route in all_routes():
        name = route.name or ""
        if name.startswith(("admin:", "accounts:", "api:")) or name in PUBLIC or not name:
            continue
        pk = records[MATRIX[name]].pk if name in MATRIX else 1
        response = client.post(route.path(**dict.fromkeys(route.int_kwargs, pk)), PAYLOAD)
        answers[name] = response.status_code
    after = {k: v for k, v in snapshot().items() if not k.startswith("accounts.")}
    assert after == before
    assert not [name for name, code in answers.items() if code >= 500]
    assert len(answers) > 80  # the walk really went through the portal


def test_an_account_without_province_sees_nothing(client, national, places, people):
    client.force_login(people["staff_none"])
    page = client.get(reverse("facilities:list")).context["page"]
    assert list(page.object_list) == []


def test_officials_read_their_province_only(client, national, places, people):
    bac_ninh, hai_phong = places
    client.force_login(people["official_bn"])
    assert client.get(reverse("facilities:detail", args=[bac_ninh.pk])).status_code == 200
    assert client.get(reverse("facilities:detail", args=[hai_phong.pk])).status_code == 404


def test_the_ministry_reads_every_province_and_edits_nothing(client, national, places, people):
    bac_ninh, hai_phong = places
    report = AnnualReportFactory(facility=hai_phong, year=2024, state="submitted")
    client.force_login(people["ministry"])
    listed = client.get(reverse("facilities:list")).text
    assert bac_ninh.name in listed and hai_phong.name in listed
    assert client.get(reverse("facilities:detail", args=[hai_phong.pk])).status_code == 200
    assert client.get(reverse("assessments:report_detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("facilities:edit", args=[hai_phong.pk])).status_code == 403
    assert client.post(reverse("assessments:report_approve", args=[report.pk])).status_code == 403
    assert client.get(reverse("facilities:create")).status_code == 403
    assert client.get(reverse("facilities:import")).status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


def test_the_ministry_filters_the_registry_by_province_first(client, national, places, people):
    """The whole country's communes would be 14,000 options in each place list: the Ministry's
    list offers the 2025 provinces, and a province's own places once one is chosen."""
    bac_ninh, hai_phong = places
    client.force_login(people["ministry"])
    url = reverse("facilities:list")

    everything = client.get(url)
    form = everything.context["form"]
    assert list(form.fields)[:2] == ["q", "province"]
    assert HAI_PHONG in {unit.code for unit in form.fields["province"].queryset}
    assert not form.fields["ward"].queryset.exists()
    assert ">Phường Hồng Bàng</option>" not in everything.text
    assert "Chọn tỉnh, thành phố trước" in everything.text

    one = client.get(url, {"province": HAI_PHONG})
    assert one.context["form"].is_valid()
    assert hai_phong.name in one.text and bac_ninh.name not in one.text
    assert [u.name for u in one.context["form"].fields["ward"].queryset] == ["Phường Hồng Bàng"]
    assert one.context["page"].paginator.count == 1

    ward = AdminUnit.objects.get(code="11311", scheme=AdminUnit.Scheme.V2025)
    narrowed = client.get(url, {"province": HAI_PHONG, "ward": ward.pk})
    assert narrowed.context["page"].paginator.count == 1

    client.force_login(people["staff_bn"])  # a province's staff: no province field
    assert "province" not in client.get(url).context["form"].fields


def test_a_one_province_installation_ignores_the_account_province(client, places, people):
    _, hai_phong = places
    client.force_login(people["staff_bn"])
    assert client.get(reverse("facilities:detail", args=[hai_phong.pk])).status_code == 200


# --- figures of one province ------------------------------------------------------------------


@pytest.fixture
def figures(places):
    """2018: the Bắc Ninh facility not aware of SXSH, the Hải Phòng one aware (by hand: Bắc Ninh
    0 of 1, Hải Phòng 1 of 1, the whole country 1 of 2 = 50 %)."""
    bac_ninh, hai_phong = places
    for facility, aware in ((bac_ninh, False), (hai_phong, True)):
        report(facility, YEAR, aware=aware)
    return places


def _aware(client) -> tuple:
    body = client.get(reverse("api:indicators"), {"year": YEAR}).json()
    row = next(item for item in body["indicators"] if item["code"] == "AWARE_PCT")
    return row["numerator"], row["denominator"], row["actual"]


@pytest.mark.django_db(transaction=True)  # the indicator cache serves committed data only
def test_figures_are_the_provinces_own(client, national, figures, people):
    client.force_login(people["staff_bn"])
    assert _aware(client) == (0, 1, 0.0)
    dashboard = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert dashboard.context["results"].operating == 1
    assert dashboard.context["reporting"].reports == 1
    client.force_login(people["staff_hp"])
    assert _aware(client) == (1, 1, 100.0)
    # The facilities behind Hải Phòng's numerator are Hải Phòng's only.
    behind = reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR, "denominator"])
    listed = client.get(behind).text
    assert "Đóng tàu Hải Phòng" in listed and "Gốm Phù Lãng Bắc Ninh" not in listed
    client.force_login(people["ministry"])
    assert _aware(client) == (1, 2, 50.0)


def test_the_ministry_compares_the_provinces_and_drills_down(client, national, figures, people):
    bac_ninh, hai_phong = figures
    # A second Bắc Ninh facility without a report: Bắc Ninh reports 1 of 2 (50 %), Hải Phòng
    # 1 of 1 (100 %): Bắc Ninh first, the lowest rate on top.
    FacilityFactory(name="Dệt may chưa báo cáo", established_year=2010)
    client.force_login(people["ministry"])
    page = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert page.context["grouping"] == "province"
    assert ("province", "Theo tỉnh/thành phố (từ 1/7/2025)") in page.context["groupings"]
    rows = [(r.code, r.operating, r.reporting.reports) for r in page.context["by_province"]]
    assert rows == [(BAC_NINH, 2, 1), (HAI_PHONG, 1, 1)]
    assert "50,0" in page.text
    # Drill-down: Hải Phòng's own dashboard, its links keeping the province.
    drill = client.get(reverse("reports:dashboard"), {"year": YEAR, "province": HAI_PHONG})
    assert drill.context["results"].operating == 1 and drill.context["by_province"] is None
    assert "province" not in dict(drill.context["groupings"])  # one province: no such breakdown
    behind = reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR, "denominator"])
    assert f"{behind}?province={HAI_PHONG}" in drill.text
    listed = client.get(behind, {"province": HAI_PHONG}).text
    assert hai_phong.name in listed and bac_ninh.name not in listed
    bad = client.get(reverse("reports:dashboard"), {"year": YEAR, "province": "99"})
    assert bad.status_code == 400
    # A province's staff cannot widen their scope with the parameter.
    client.force_login(people["staff_bn"])
    mine = client.get(reverse("reports:dashboard"), {"year": YEAR, "province": HAI_PHONG})
    assert mine.context["results"].operating == 2


def test_the_ministry_sees_the_provinces_that_sent_nothing(client, national, figures, people):
    # A third 2025 province whose department has not entered a single facility: it has sent
    # nothing, so the Ministry's table lists it (no facility, no rate, no document), on top.
    ProvinceFactory(code="01", name="Thành phố Hà Nội", scheme=AdminUnit.Scheme.V2025)
    client.force_login(people["ministry"])
    page = client.get(reverse("reports:dashboard"), {"year": YEAR})
    rows = {r.code: r for r in page.context["by_province"]}
    assert set(rows) == {"01", BAC_NINH, HAI_PHONG}
    silent = rows["01"]
    assert (silent.operating, silent.reporting.reports, silent.reporting.rate) == (0, 0, None)
    assert not silent.annual_issued
    assert page.context["by_province"][0].code == "01"
    assert 'data-key="01"' in page.text and "Thành phố Hà Nội" in page.text


def test_the_ministry_reads_the_whole_country(client, national, figures, people):
    client.force_login(people["ministry"])
    assert _aware(client) == (1, 2, 50.0)
    # By province (DESIGN §5 group=province): Bắc Ninh 0 of 1, Hải Phòng 1 of 1, adding up to
    # the whole country's 1 of 2.
    body = client.get(reverse("api:indicators"), {"year": YEAR, "group": "province"}).json()
    aware = {
        group["key"]: next(
            (i["numerator"], i["denominator"])
            for i in group["indicators"]
            if i["code"] == "AWARE_PCT"
        )
        for group in body["groups"]
    }
    assert aware == {BAC_NINH: (0, 1), HAI_PHONG: (1, 1)}
    names = {group["key"]: group["name"] for group in body["groups"]}
    assert names[HAI_PHONG] == "Thành phố Hải Phòng"
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.context["home"].results.operating == 2


def test_each_province_has_its_own_plan_beside_the_national_one(client, national, figures, people):
    national_period = PlanPeriod.objects.get(start_year=2016, province="")
    client.force_login(people["staff_bn"])
    response = client.post(
        reverse("reports:period_create"),
        {
            "code": "BN-2016-2020",
            "name": "Kế hoạch SXSH tỉnh Bắc Ninh 2016–2020",
            "start_year": 2016,
            "end_year": 2020,
            "copy_from": national_period.pk,
        },
    )
    assert response.status_code == 302
    own = PlanPeriod.objects.get(code="BN-2016-2020")
    assert own.province == BAC_NINH and own.indicators.count() == national_period.indicators.count()
    own.indicators.filter(code="AWARE_PCT").update(target_min=30, target_max=None)
    # Bắc Ninh's figures are judged against Bắc Ninh's plan, the country's against the national.
    targets = {}
    for who in ("staff_bn", "staff_hp", "ministry"):
        client.force_login(people[who])
        body = client.get(reverse("api:indicators"), {"year": YEAR}).json()
        targets[who] = next(i["target"] for i in body["indicators"] if i["code"] == "AWARE_PCT")
    assert targets == {"staff_bn": "30", "staff_hp": "90", "ministry": "90"}
    # The national strategy is read only to a province; another province's plan is 404.
    client.force_login(people["staff_bn"])
    aware = national_period.indicators.get(code="AWARE_PCT")
    assert client.get(reverse("reports:period_edit", args=[national_period.pk])).status_code == 404
    assert client.get(reverse("reports:indicator_edit", args=[aware.pk])).status_code == 404
    plan = client.get(reverse("reports:plan")).text
    assert "Chiến lược quốc gia (chỉ xem)" in plan
    assert "Kế hoạch SXSH tỉnh Bắc Ninh 2016–2020" in plan
    client.force_login(people["staff_hp"])
    assert client.get(reverse("reports:period_edit", args=[own.pk])).status_code == 404
    assert "Kế hoạch SXSH tỉnh Bắc Ninh" not in client.get(reverse("reports:plan")).text


def test_documents_are_each_provinces_own(client, national, people):
    """Each province's staff request their province's documents, the Ministry the national one
    (tests/reports/test_national_documents.py builds and reads them); the command takes the
    province, an unknown one is refused."""
    with mock.patch.object(generation, "_enqueue"):
        for who, province in (("staff_bn", BAC_NINH), ("ministry", "")):
            client.force_login(people[who])
            response = client.post(
                reverse("reports:request"),
                {"kind": "annual_progress", "year": 2019, "format": "pdf"},
            )
            assert response.status_code == 302
            assert Report.objects.get(requested_by=people[who]).province == province
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố .* mã “99”"):
        call_command("generate_report", "--year", "2019", "--format", "pdf", "--province", "99")


# --- add_user --province --------------------------------------------------------------------


def add_user(*args) -> str:
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_add_user_scopes_staff_to_a_2025_province(national):
    add_user("canbo_hai_phong", "--role", "staff", "--province", "31")
    assert User.objects.get(username="canbo_hai_phong").province == HAI_PHONG
    add_user("bo_ct", "--role", "ministry")
    assert User.objects.get(username="bo_ct").role == Role.MINISTRY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "staff"], "cần --province"),
        (["x", "--role", "official"], "cần --province"),
        (["x", "--role", "staff", "--province", "99"], "99"),
        (["x", "--role", "ministry", "--province", "24"], "cán bộ Sở và lãnh đạo"),
    ],
)
def test_add_user_refuses_a_missing_or_unknown_province(national, args, message):
    with pytest.raises(CommandError, match=message):
        add_user(*args)
    assert not User.objects.filter(username="x").exists()


# --- accounts --------------------------------------------------------------------------------


def test_staff_manage_their_provinces_accounts_only(client, national, places, people):
    bac_ninh, hai_phong = places
    theirs = UserFactory(username="coso_hp", role=Role.FACILITY)
    theirs.facilities.add(hai_phong)
    ours = UserFactory(username="coso_bn", role=Role.FACILITY)
    ours.facilities.add(bac_ninh)
    client.force_login(people["staff_bn"])
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"]}
    assert {"coso_bn", "canbo_bn", "lanhdao_bn"} <= listed
    assert not listed & {"coso_hp", "canbo_hp", "bo_cong_thuong"}
    assert client.get(reverse("accounts:user_tokens", args=[theirs.pk])).status_code == 404
    # A new official is of the creator's province; a facility account only for its facilities.
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert list(form.fields["facilities"].queryset) == [bac_ninh]
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "lanhdao_moi",
            "full_name": "Lê Mới",
            "email": "moi@example.vn",
            "role": "official",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="lanhdao_moi").province == BAC_NINH


def test_a_provinces_own_computation_equals_its_group_of_the_whole(national, figures):
    """The province-limited SQL (its own reports, activities and options only) gives every
    figure of the province exactly as the national computation's `province` group does."""
    bac_ninh, hai_phong = figures
    report(hai_phong, YEAR - 1, applies_cp=True, coal_t=100)
    report(bac_ninh, YEAR - 1, applies_cp=True, coal_t=100)
    whole = ind.compute_indicators(YEAR)
    groups = {row.key: row for row in whole.groups["province"]}
    for code in (BAC_NINH, HAI_PHONG):
        own = ind.compute_indicators(YEAR, province=code, grouped=False)
        assert own.operating == groups[code].operating
        assert len(own.computed) >= 4
        for figure_code, figure in own.computed.items():
            assert figure == groups[code].values[figure_code], (code, figure_code)


def test_the_header_names_the_body_the_user_works_for(client, national, people):
    client.force_login(people["ministry"])
    brand = re.compile(r'class="navbar-brand"[^>]*>SXSH Portal<small>([^<]*)</small>')
    assert brand.search(client.get(reverse("home")).text).group(1) == "Bộ Công Thương"
    client.force_login(people["staff_bn"])
    assert brand.search(client.get(reverse("home")).text).group(1) == "Sở Công Thương"
