"""Documents of a national installation (issue 18 point 3, DESIGN §2): each province's staff build
their province's documents — its figures only, headed by its People's Committee and Department,
numbered in its own register — and the Ministry builds the national one ("BỘ CÔNG THƯƠNG", the
whole country's figures) and issues nothing; the Ministry's dashboard says which provinces
issued their annual document."""

from datetime import date, timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from assessments.models import ReportingDeadline
from facilities.models import AdminUnit
from reports import generation, scheduling
from reports import indicators as ind
from reports.generation import Outcome
from reports.models import DocumentCounter, Report, ReportNarrative

from ..assessments.national_helpers import BN_FACILITY, HP_FACILITY, two_province_facilities
from ..factories import ProvinceFactory, UserFactory
from .indicator_helpers import YEAR, report
from .report_view_helpers import make_report, write_narrative

# 2025 provinces (DOMAIN.md): Bắc Ninh 24 (old Bắc Ninh 27 and old Bắc Giang 24), Hải Phòng 31.
BAC_NINH, HAI_PHONG = "24", "31"


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def no_enqueue():
    with mock.patch.object(generation, "_enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def figures(db):
    """2018: the Bắc Ninh facility not aware of SXSH, the Hải Phòng one aware (by hand: Bắc Ninh
    0 of 1, Hải Phòng 1 of 1, the whole country 1 of 2)."""
    bac_ninh_facility, hai_phong_facility = two_province_facilities()
    report(bac_ninh_facility, YEAR, aware=False)
    report(hai_phong_facility, YEAR, aware=True)
    return bac_ninh_facility, hai_phong_facility


@pytest.fixture
def people(db):
    return {
        "staff_bn": UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH),
        "staff_hp": UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG),
        "official_bn": UserFactory(username="lanhdao_bn", role=Role.OFFICIAL, province=BAC_NINH),
        "staff_none": UserFactory(username="canbo_chua_gan", role=Role.STAFF),
        "ministry": UserFactory(username="bo_cong_thuong", role=Role.MINISTRY),
        "admin": UserFactory(username="quan_tri", role=Role.STAFF, is_superuser=True),
    }


def request_built(client, user, fmt="xlsx", kind="annual_progress") -> Report:
    """`user` requests the year's document on the request page; the worker builds it here."""
    client.force_login(user)
    response = client.post(reverse("reports:request"), {"kind": kind, "year": YEAR, "format": fmt})
    assert response.status_code == 302
    built = Report.objects.filter(requested_by=user, kind=kind, format=fmt).get()
    assert generation.report_generate(report_id=built.pk) == Outcome.SUCCEEDED, built.error
    built.refresh_from_db()
    return built


def downloaded_workbook(client, built: Report):
    response = client.get(reverse("reports:download", args=[built.pk]))
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def indicator_cells(workbook, code: str) -> tuple:
    """(numerator, denominator) of an indicator in the ChiTieu sheet."""
    rows = list(workbook["ChiTieu"].iter_rows(values_only=True))
    row = next(row for row in rows if row[0] == code)
    return row[5], row[6]


def facility_names(workbook) -> set:
    return {row[1] for row in list(workbook["CoSo"].iter_rows(values_only=True))[1:]}


@pytest.mark.django_db(transaction=True)  # the indicator cache serves committed data only
def test_a_provinces_staff_build_their_provinces_document(
    client, national, figures, people, no_enqueue
):
    built = request_built(client, people["staff_bn"])
    assert built.province == BAC_NINH
    workbook = downloaded_workbook(client, built)
    # Bắc Ninh's figures only: 0 of its 1 facility aware (the country's would be 1 of 2).
    assert indicator_cells(workbook, "AWARE_PCT") == (0, 1)
    assert facility_names(workbook) == {BN_FACILITY}
    # Headed by Bắc Ninh's People's Committee and Department.
    assert workbook.properties.creator == "UBND TỈNH BẮC NINH – SỞ CÔNG THƯƠNG"

    # Hải Phòng's staff neither see nor download it; their own document is Hải Phòng's.
    client.force_login(people["staff_hp"])
    assert client.get(reverse("reports:detail", args=[built.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[built.pk])).status_code == 404
    assert built.pk not in [r.pk for r in client.get(reverse("reports:list")).context["page"]]
    theirs = request_built(client, people["staff_hp"])
    assert theirs.pk != built.pk and theirs.province == HAI_PHONG  # not shared across provinces
    workbook = downloaded_workbook(client, theirs)
    assert indicator_cells(workbook, "AWARE_PCT") == (1, 1)
    assert facility_names(workbook) == {HP_FACILITY}
    assert workbook.properties.creator == "UBND THÀNH PHỐ HẢI PHÒNG – SỞ CÔNG THƯƠNG"


@pytest.mark.django_db(transaction=True)
def test_the_ministry_builds_the_national_document_and_issues_nothing(
    client, national, figures, people, no_enqueue
):
    built = request_built(client, people["ministry"])
    assert built.province == ""
    workbook = downloaded_workbook(client, built)
    assert workbook.properties.creator == "BỘ CÔNG THƯƠNG"
    whole = ind.compute_indicators(YEAR, province=None).value("AWARE_PCT")
    assert (whole.numerator, whole.denominator) == (1, 2)
    assert indicator_cells(workbook, "AWARE_PCT") == (whole.numerator, whole.denominator)
    assert facility_names(workbook) == {BN_FACILITY, HP_FACILITY}
    # The national draft is the Ministry's to read, not to issue; a province's staff never see it.
    draft = make_report(fmt="pdf", province="")
    client.force_login(people["ministry"])
    detail = client.get(reverse("reports:detail", args=[draft.pk]))
    assert detail.status_code == 200 and "Toàn quốc (Bộ Công Thương)" in detail.text
    issue = reverse("reports:issue", args=[draft.pk])
    assert client.get(issue).status_code == 403
    assert client.post(issue, {"confirm": "on"}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_issued
    client.force_login(people["staff_bn"])
    assert client.get(reverse("reports:detail", args=[draft.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_national_documents_province_table_lists_every_province(
    client, national, figures, people, no_enqueue
):
    # The Ministry asks which provinces have sent nothing: a loaded province without any
    # facility has its line too (as on the Ministry's dashboard), with no figures.
    ProvinceFactory(code="01", name="Thành phố Hà Nội", scheme=AdminUnit.Scheme.V2025)
    built = request_built(client, people["ministry"])
    rows = list(downloaded_workbook(client, built)["TheoTinh"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[1:]}
    assert {"Thành phố Hà Nội", "Thành phố Hải Phòng"} <= set(by_name)
    assert by_name["Thành phố Hà Nội"][1] == 0
    assert by_name["Thành phố Hải Phòng"][1] == 1
    # The lines still add up to the whole country's figures.
    aware = rows[0].index("AWARE_PCT")
    assert sum(row[aware + 1] or 0 for row in rows[1:]) == 1
    assert sum(row[aware + 2] or 0 for row in rows[1:]) == 2


def fake_build(report, path, progress):
    path.write_bytes(f"document {report.pk} {report.number_label}".encode())


ISSUE_FORM = {
    "signer_name": "Nguyễn Văn Ký",
    "signer_title": "GIÁM ĐỐC",
    "recipients": "Bộ Công Thương\nLưu: VT.",
    "confirm": "on",
}


@pytest.mark.django_db
def test_each_issuing_body_numbers_its_own_register(client, national, people, mailoutbox):
    drafts = {
        BAC_NINH: make_report(fmt="pdf", province=BAC_NINH),
        HAI_PHONG: make_report(fmt="pdf", province=HAI_PHONG),
        "": make_report(fmt="docx", province=""),
    }
    second_bn = make_report(fmt="docx", province=BAC_NINH)
    for province in drafts:  # each issuing body's own narrative, every section written
        write_narrative(YEAR, province=province)
    issuers = {BAC_NINH: "staff_bn", HAI_PHONG: "staff_hp", "": "admin"}
    # Another province's staff cannot issue (not even see) a province's draft.
    client.force_login(people["staff_hp"])
    assert client.post(reverse("reports:issue", args=[drafts[BAC_NINH].pk])).status_code == 404
    with mock.patch.object(generation, "build_file", fake_build):
        for province, draft in drafts.items():
            client.force_login(people[issuers[province]])
            response = client.post(reverse("reports:issue", args=[draft.pk]), ISSUE_FORM)
            assert response.status_code == 302
        client.force_login(people["staff_bn"])
        # The same document again: a new document with a new number, confirmed.
        again = {"reissue": "on", "seen_issues": str(drafts[BAC_NINH].pk)}
        client.post(reverse("reports:issue", args=[second_bn.pk]), {**ISSUE_FORM, **again})
    labels = {
        province: Report.objects.get(pk=draft.pk).number_label
        for province, draft in [*drafts.items(), ("24 again", second_bn)]
    }
    assert labels == {
        BAC_NINH: "01/BC-SCT",
        HAI_PHONG: "01/BC-SCT",  # Hải Phòng's register starts at 1 too
        "": "01/BC-BCT",  # the Ministry's register and symbol
        "24 again": "02/BC-SCT",
    }
    counters = DocumentCounter.objects.values_list("province", "last_number")
    assert sorted(counters) == [("", 1), (BAC_NINH, 2), (HAI_PHONG, 1)]
    # Two provinces' documents of the same number keep apart files.
    bn, hp = (Report.objects.get(pk=drafts[p].pk) for p in (BAC_NINH, HAI_PHONG))
    assert bn.file.name != hp.file.name
    # Each province's register lists its own documents.
    client.force_login(people["staff_hp"])
    register = client.get(reverse("reports:register"))
    assert [r.pk for r in register.context["page"]] == [hp.pk]
    assert "năm 2018 (PDF) – Thành phố Hải Phòng" in register.text


@pytest.mark.django_db
def test_the_narrative_is_each_provinces_own(client, national, people):
    url = reverse("reports:narrative", args=[YEAR, "year"])
    client.force_login(people["staff_bn"])
    data = {"shortcomings": "Bắc Ninh còn thiếu cán bộ.", "direction": "", "recommendations": ""}
    assert client.post(url, data).status_code == 302
    assert ReportNarrative.objects.get().province == BAC_NINH
    client.force_login(people["staff_hp"])
    assert "Bắc Ninh còn thiếu cán bộ." not in client.get(url).text
    client.force_login(people["ministry"])
    assert client.get(url).status_code == 403
    client.force_login(people["staff_none"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_account_without_a_province_requests_nothing(client, national, people, no_enqueue):
    client.force_login(people["staff_none"])
    response = client.post(
        reverse("reports:request"), {"kind": "annual_progress", "year": YEAR, "format": "pdf"}
    )
    assert response.status_code == 302
    assert not Report.objects.exists()
    assert "chưa được gán tỉnh/thành phố" in client.get(response["Location"]).text


@pytest.mark.django_db
def test_scheduled_runs_build_each_provinces_and_the_national_document(
    national, figures, no_enqueue, settings, plan_2021_2030
):
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    created = scheduling.reports_schedule_annual(today=date(2026, 12, 31))
    assert sorted((r.province, r.kind) for r in created) == [
        ("", "annual_progress"),
        ("", "ministry_table"),
        (BAC_NINH, "annual_progress"),
        (BAC_NINH, "ministry_table"),
        (HAI_PHONG, "annual_progress"),
        (HAI_PHONG, "ministry_table"),
    ]
    assert scheduling.reports_schedule_annual(today=date(2026, 12, 31)) == []  # once


def test_a_provinces_scheduled_draft_waits_for_its_own_deadline(
    national, figures, no_enqueue, settings, plan_2021_2030
):
    # Hải Phòng gave its facilities until 31 March: its draft is built after that deadline plus
    # the review days, the others' after the default one (15 January).
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    ReportingDeadline.objects.create(province=HAI_PHONG, year=2025, deadline=date(2026, 3, 31))
    created = scheduling.reports_schedule_annual(today=date(2026, 3, 1))
    assert {r.province for r in created} == {"", BAC_NINH}
    later = scheduling.annual_draft_due(2025, HAI_PHONG)
    assert scheduling.reports_schedule_annual(today=later - timedelta(days=1)) == []
    created = scheduling.reports_schedule_annual(today=later)
    assert {r.province for r in created} == {HAI_PHONG}


@pytest.mark.django_db(transaction=True)
def test_the_ministry_sees_which_provinces_issued_their_annual_document(
    client, national, figures, people
):
    make_report(fmt="pdf", province=BAC_NINH, kind="annual_progress")  # a draft
    issued = make_report(fmt="pdf", province=BAC_NINH)
    Report.objects.filter(pk=issued.pk).update(
        doc_type="BC", register_year=2019, number=1, issue_date=date(2019, 2, 1)
    )
    # Hải Phòng's issued document is a half-year one: not its annual document.
    half = make_report(fmt="pdf", province=HAI_PHONG, kind="half_year_progress")
    Report.objects.filter(pk=half.pk).update(
        doc_type="BC", register_year=2018, number=1, issue_date=date(2018, 8, 1)
    )
    client.force_login(people["ministry"])
    page = client.get(reverse("reports:dashboard"), {"year": YEAR})
    issued_by = {row.code: row.annual_issued for row in page.context["by_province"]}
    assert issued_by == {BAC_NINH: True, HAI_PHONG: False}
    assert "Đã ban hành báo cáo năm" in page.text
    assert f'<tr data-key="{BAC_NINH}">' in page.text
    row = page.text.split(f'<tr data-key="{BAC_NINH}">')[1].split("</tr>")[0]
    assert 'data-issued="yes">Có<' in row
    row = page.text.split(f'<tr data-key="{HAI_PHONG}">')[1].split("</tr>")[0]
    assert 'data-issued="no">Chưa<' in row


@pytest.mark.django_db(transaction=True)
def test_the_ministrys_home_names_the_province_of_each_issued_document(
    client, national, figures, people
):
    # Every province's register starts at 01/BC-SCT: the list says whose document each is.
    for province, number in ((BAC_NINH, 1), (HAI_PHONG, 1)):
        issued = make_report(fmt="pdf", province=province)
        Report.objects.filter(pk=issued.pk).update(
            doc_type="BC", register_year=2019, number=number, issue_date=date(2019, 2, 1)
        )
    client.force_login(people["ministry"])
    page = client.get(reverse("home")).text
    items = page.split('<li class="mb-2 issued-document">')[1:]
    names = sorted(item.split("</a>")[0].rsplit(" – ", 1)[1] for item in items)
    assert names == ["Thành phố Hải Phòng", "Tỉnh Bắc Ninh"]
