"""Review of a national installation (DESIGN §2, §3, §5 "Report files"):

1. The annex of the documents places each facility so that a reader can find it: the Ministry's
   document, which lists the facilities of every province, names the 2025 province too; a year
   from 2025 on is placed by the 2025 commune/ward (as the breakdown tables group it), in a
   province's document as well.
2. The run of the data-quality rules re-checks every stored report (every province's): its card
   and progress are for those who may start one (a superuser of a national installation), not
   for a province's staff.
3. The user list shows a province's staff only the facilities they may see of an account linked
   to facilities of several provinces.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import PlanPeriod, QualityRun
from facilities.models import AdminUnit
from reports import generation
from reports.generation import Outcome
from reports.models import Report

from .assessments.national_helpers import BN_FACILITY, HP_FACILITY, two_province_facilities
from .factories import FacilityFactory, ProvinceFactory, UserFactory
from .reports.file_text import docx_text, pdf_text
from .reports.indicator_helpers import report

BAC_NINH, HAI_PHONG = "24", "31"
OLD_YEAR, NEW_YEAR = 2018, 2025  # before and after the territory change of 1 July 2025
BN_PROVINCE = "Tỉnh Bắc Ninh"  # the 2025 province as loaded (load_admin_units)
HP_PROVINCE = "Thành phố Hải Phòng"
BN_WARD = "Phường Kinh Bắc"
BOTH_FACILITY = "Dệt may Kinh Bắc"  # an old commune and a 2025 ward


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def no_enqueue():
    with mock.patch.object(generation, "_enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def people(db):
    return {
        "staff_bn": UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH),
        "ministry": UserFactory(username="bo_cong_thuong", role=Role.MINISTRY),
        "admin": UserFactory(username="quan_tri", role=Role.STAFF, is_superuser=True),
    }


@pytest.fixture
def plan_2021_2030(db):
    """The national strategy's period: documents may be requested for 2025."""
    return PlanPeriod.objects.create(
        code="2021-2030", name="Giai đoạn 2021–2030", start_year=2021, end_year=2030
    )


def three_facilities(year: int, *, hai_phong: bool = True) -> dict:
    """Bắc Ninh's facility placed by its old commune only, a Bắc Ninh facility with an old
    commune and a 2025 ward, Hải Phòng's placed by its 2025 ward only (unless not `hai_phong`);
    each with an approved report of `year`."""
    bac_ninh = ProvinceFactory(code=BAC_NINH, name=BN_PROVINCE, scheme=AdminUnit.Scheme.V2025)
    ward = AdminUnit.objects.create(
        code="09169",
        name=BN_WARD,
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=bac_ninh,
    )
    if hai_phong:
        old_only, other = two_province_facilities()
    else:
        old_only, other = FacilityFactory(name=BN_FACILITY), None
    both = FacilityFactory(name=BOTH_FACILITY, ward=ward)
    for facility in (old_only, both, other):
        if facility is not None:
            report(facility, year, aware=True)
    return {"old_only": old_only, "both": both, "hai_phong": other}


def old_place(facility) -> str:
    """ "Xã …, Huyện …": the old commune and district the test data gave the facility."""
    return f"{facility.commune.name}, {facility.commune.parent.name}"


def built_document(client, user, year: int, fmt: str) -> bytes:
    """`user` requests the year's annual document on the request page; the worker builds it
    here; the file as downloaded."""
    client.force_login(user)
    data = {"kind": "annual_progress", "year": year, "format": fmt}
    assert client.post(reverse("reports:request"), data).status_code == 302
    built = Report.objects.filter(requested_by=user, year=year, format=fmt).get()
    assert generation.report_generate(report_id=built.pk) == Outcome.SUCCEEDED, built.error
    response = client.get(reverse("reports:download", args=[built.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def documents(client, user, year: int) -> dict[str, str]:
    return {
        "pdf": pdf_text(built_document(client, user, year, "pdf")),
        "docx": docx_text(built_document(client, user, year, "docx")),
    }


# --- 1. the annex's places ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the indicator cache serves committed data only
def test_the_national_annex_names_each_facilitys_province(client, national, people, no_enqueue):
    facilities = three_facilities(OLD_YEAR)
    texts = documents(client, people["ministry"], OLD_YEAR)
    for fmt, text in texts.items():
        # Before 2025: the old commune and district as before, then the 2025 province.
        assert f"{old_place(facilities['old_only'])}, {BN_PROVINCE}" in text, fmt
        assert f"{old_place(facilities['both'])}, {BN_PROVINCE}" in text, fmt
        assert f"Phường Hồng Bàng, {HP_PROVINCE}" in text, fmt
        assert "Xã/phường, huyện, tỉnh/thành phố" in text, fmt


@pytest.mark.django_db(transaction=True)
def test_the_national_annex_of_2025_places_facilities_by_2025_ward_and_province(
    client, national, people, no_enqueue, plan_2021_2030
):
    facilities = three_facilities(NEW_YEAR)
    texts = documents(client, people["ministry"], NEW_YEAR)
    for fmt, text in texts.items():
        assert f"{BN_WARD}, {BN_PROVINCE}" in text, fmt
        assert old_place(facilities["both"]) not in text, fmt  # the 2025 ward, not the old place
        assert f"Phường Hồng Bàng, {HP_PROVINCE}" in text, fmt
        assert "Xã/phường, tỉnh/thành phố (từ 1/7/2025)" in text, fmt
    # A facility without a 2025 ward yet (as the breakdown's "no 2025 commune/ward" group): its
    # old place, saying so (the DOCX's cells are read whole; the PDF may wrap the cell).
    place = f"{old_place(facilities['old_only'])}, {BN_PROVINCE}"
    without_ward = f"{place} (chưa xác định xã/phường mới)"
    assert without_ward in texts["docx"]


@pytest.mark.django_db(transaction=True)
def test_a_provinces_annex_of_2025_places_facilities_by_2025_ward(
    client, no_enqueue, plan_2021_2030
):
    # A one-province installation (Bắc Ninh: PORTAL_PROVINCE_CODE 27 means 24 since 2025).
    facilities = three_facilities(NEW_YEAR, hai_phong=False)
    staff = UserFactory(username="canbo", role=Role.STAFF)
    texts = documents(client, staff, NEW_YEAR)
    for fmt, text in texts.items():
        assert f"{BOTH_FACILITY} {BN_WARD} " in text, fmt  # the ward alone: the province is its
        assert old_place(facilities["both"]) not in text, fmt
        assert f"{BN_WARD}, {BN_PROVINCE}" not in text, fmt
        assert "Xã/phường (từ 1/7/2025)" in text, fmt
    without_ward = f"{old_place(facilities['old_only'])} (chưa xác định xã/phường mới)"
    assert without_ward in texts["docx"]


# --- 2. the run of the rules over every stored report ------------------------------------------


def a_run(by, **fields) -> QualityRun:
    return QualityRun.objects.create(requested_by=by, **fields)


@pytest.mark.django_db
def test_a_provinces_staff_see_nothing_of_the_nationwide_run(client, national, people):
    two_province_facilities()
    done = a_run(
        people["admin"],
        state=QualityRun.State.DONE,
        progress=100,
        checked=1234,
        findings=56,
        finished_at=timezone.now(),
    )
    findings = reverse("assessments:quality_findings")
    client.force_login(people["staff_bn"])
    page = client.get(findings)
    assert page.status_code == 200
    assert f'id="run-{done.pk}"' not in page.text and 'id="run-result"' not in page.text
    assert "1.234" not in page.text
    progress = reverse("assessments:quality_run_progress", args=[done.pk])
    assert client.get(progress).status_code == 404
    # A run under way: neither its bar nor its progress.
    running = a_run(people["admin"], state=QualityRun.State.RUNNING, progress=40)
    page = client.get(findings)
    assert f'id="run-{running.pk}"' not in page.text and "import-job-progress" not in page.text
    progress = reverse("assessments:quality_run_progress", args=[running.pk])
    assert client.get(progress).status_code == 404

    # The superuser, who starts runs, follows it.
    client.force_login(people["admin"])
    page = client.get(findings)
    assert f'id="run-{running.pk}"' in page.text and "import-job-progress" in page.text
    answer = client.get(progress)
    assert answer.status_code == 200 and answer.json()["progress"] == 40
    running.delete()
    page = client.get(findings)
    assert 'id="run-result"' in page.text and "1.234 báo cáo, 56 phát hiện" in page.text


@pytest.mark.django_db
def test_a_one_province_installations_staff_follow_the_run(client):
    staff = UserFactory(username="canbo", role=Role.STAFF)
    run = a_run(
        staff,
        state=QualityRun.State.DONE,
        checked=12,
        findings=3,
        finished_at=timezone.now() - timedelta(minutes=5),
    )
    client.force_login(staff)
    page = client.get(reverse("assessments:quality_findings"))
    assert f'id="run-{run.pk}"' in page.text and "12 báo cáo, 3 phát hiện" in page.text
    progress = client.get(reverse("assessments:quality_run_progress", args=[run.pk]))
    assert progress.status_code == 200 and progress.json()["checked"] == 12


# --- 3. the user list ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_user_list_shows_a_provinces_staff_only_their_provinces_facilities(
    client, national, people
):
    bac_ninh_facility, hai_phong_facility = two_province_facilities()
    representative = UserFactory(username="dai_dien_hai_tinh", role=Role.FACILITY)
    representative.facilities.add(bac_ninh_facility, hai_phong_facility)
    client.force_login(people["staff_bn"])
    page = client.get(reverse("accounts:user_list"))
    assert page.status_code == 200
    assert "dai_dien_hai_tinh" in page.text
    assert BN_FACILITY in page.text
    assert HP_FACILITY not in page.text
    # The Ministry's superuser sees both.
    client.force_login(people["admin"])
    page = client.get(reverse("accounts:user_list"))
    assert BN_FACILITY in page.text and HP_FACILITY in page.text


@pytest.mark.django_db(transaction=True)
def test_the_national_workbook_names_every_facilitys_province(client, national, people, no_enqueue):
    # The facilities sheet (CoSo) names the 2025 province of a facility placed by its old
    # commune only as well (Facility.province), as the TheoTinh sheet counts it; province by
    # province.
    from io import BytesIO

    from openpyxl import load_workbook

    facilities = three_facilities(OLD_YEAR)
    workbook = load_workbook(BytesIO(built_document(client, people["ministry"], OLD_YEAR, "xlsx")))
    sheet = workbook["CoSo"]
    header = [cell.value for cell in sheet[1]]
    name, province = header.index("Tên cơ sở"), header.index("Tỉnh/thành phố (từ 1/7/2025)")
    rows = {row[name]: row[province] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {
        facilities["old_only"].name: BN_PROVINCE,
        BOTH_FACILITY: BN_PROVINCE,
        HP_FACILITY: HP_PROVINCE,
    }
