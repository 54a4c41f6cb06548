"""The home page of each role says what to do next (issue 16): the facility's report for the
reporting year, the staff's queues, the official's figures and documents."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from accounts.models import Role, User
from assessments.models import (
    AnnualReport,
    DeadlineException,
    PlanPeriod,
    QualityFinding,
    QualityRule,
    ReportingDeadline,
)
from facilities.models import Facility, ImportJob
from reports import fact_table
from reports import indicators as ind
from reports.models import Report

from ..factories import AnnualReportFactory, AssessmentFactory, FacilityFactory, UserFactory

HOME = "/"
TODAY = timezone.localdate()
YEAR = TODAY.year - 1  # the reporting year


def _page(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _card(page, facility):
    (card,) = page.xpath(f'//section[@id="facility-{facility.pk}"]')
    return card


def _buttons(card):
    return card.xpath('.//a[contains(@class, "primary-action")]')


@pytest.fixture
def reporting_period(db):
    """A plan period covering the reporting year (the seeded one ends in 2020)."""
    if not PlanPeriod.objects.covering(YEAR).exists():
        PlanPeriod.objects.create(
            code="home-test", name="Kỳ kế hoạch thử", start_year=YEAR - 4, end_year=YEAR + 5
        )


def _deadline(days_from_today: int) -> date:
    deadline = TODAY + timedelta(days=days_from_today)
    ReportingDeadline.objects.update_or_create(year=YEAR, defaults={"deadline": deadline})
    return deadline


def _finding(report, n: int, severity: str, message: str, *, resolved=False) -> QualityFinding:
    rule = QualityRule.objects.order_by("pk")[n]
    return QualityFinding.objects.create(
        report=report,
        rule=rule,
        severity=severity,
        message=message,
        resolved_at=timezone.now() if resolved else None,
    )


# --- every role ----------------------------------------------------------------------------


def test_it_requires_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_sees_work_page(client, staff, facility):
    client.force_login(staff)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Trang làm việc của cán bộ Sở Công Thương" in response.text


def test_official_sees_dashboard(client, official):
    client.force_login(official)
    response = client.get(HOME)
    assert "Bảng điều khiển lãnh đạo" in response.text


# --- facility users ------------------------------------------------------------------------


def test_facility_user_sees_only_own_facilities(client, facility_user, facility, other_facility):
    client.force_login(facility_user)
    response = client.get(HOME)
    assert facility.name in response.text
    assert other_facility.name not in response.text


def test_a_report_not_started_has_the_file_button_and_the_days_left(
    client, facility_user, facility, reporting_period
):
    deadline = _deadline(10)
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    text = _text(card)
    assert f"Báo cáo năm {YEAR}" in text
    assert "Chưa lập báo cáo" in text
    assert f"Hạn nộp: {deadline:%d/%m/%Y}." in text
    assert "Còn 10 ngày." in text
    (button,) = _buttons(card)
    assert button.text_content().strip() == f"Lập báo cáo năm {YEAR}"
    assert button.get("href") == reverse("assessments:report_create", args=[facility.pk])


def test_the_create_button_opens_the_form_on_the_reporting_year(
    client, facility_user, facility, reporting_period
):
    client.force_login(facility_user)
    (button,) = _buttons(_card(_page(client.get(HOME)), facility))
    form = client.get(button.get("href"))
    assert form.status_code == 200
    assert form.context["form"].initial["year"] == YEAR


def test_a_returned_report_shows_the_comment_and_the_fix_button(
    client, facility_user, facility, reporting_period
):
    _deadline(20)
    report = AnnualReportFactory(
        facility=facility,
        year=YEAR,
        state="returned",
        review_comment="Đề nghị bổ sung lượng nước tiêu thụ.",
    )
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    assert "Trả lại để sửa" in _text(card)
    (comment,) = card.xpath('.//*[contains(@class, "review-comment")]')
    assert "Đề nghị bổ sung lượng nước tiêu thụ." in _text(comment)
    (button,) = _buttons(card)
    assert button.text_content().strip() == "Sửa báo cáo"
    assert button.get("href") == reverse("assessments:report_edit", args=[report.pk])
    assert client.get(button.get("href")).status_code == 200


def test_a_draft_lists_its_open_findings_and_continues(
    client, facility_user, facility, reporting_period
):
    _deadline(5)
    report = AnnualReportFactory(facility=facility, year=YEAR, state="draft")
    _finding(report, 0, "warning", "Suất tiêu hao tăng 55% so với năm trước.")
    _finding(report, 1, "error", "Có sản lượng nhưng không khai năng lượng.")
    _finding(report, 2, "info", "Đã sửa từ trước.", resolved=True)
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    findings = [_text(li) for li in card.xpath('.//li[contains(@class, "quality-finding")]')]
    assert len(findings) == 2  # the resolved one is not listed
    assert "Có sản lượng nhưng không khai năng lượng." in findings[0]  # errors first
    assert "Suất tiêu hao tăng 55% so với năm trước." in findings[1]
    (button,) = _buttons(card)
    assert button.text_content().strip() == "Tiếp tục báo cáo nháp"
    assert button.get("href") == reverse("assessments:report_edit", args=[report.pk])


def test_a_submitted_report_is_only_viewed_and_has_no_countdown(
    client, facility_user, facility, reporting_period
):
    _deadline(-30)
    report = AnnualReportFactory(
        facility=facility, year=YEAR, state="submitted", submitted_at=timezone.now()
    )
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    text = _text(card)
    assert "Đã gửi, chờ duyệt" in text
    assert "quá hạn" not in text
    (button,) = _buttons(card)
    assert button.text_content().strip() == "Xem báo cáo"
    assert button.get("href") == report.get_absolute_url()


def test_past_the_deadline_it_says_overdue(client, facility_user, facility, reporting_period):
    _deadline(-3)
    client.force_login(facility_user)
    text = _text(_card(_page(client.get(HOME)), facility))
    assert "Đã quá hạn 3 ngày" in text


def test_an_exception_moves_the_deadline(client, facility_user, facility, reporting_period):
    _deadline(-3)
    DeadlineException.objects.create(
        facility=facility, year=YEAR, until=TODAY + timedelta(days=7), reason="Bổ sung số liệu"
    )
    client.force_login(facility_user)
    text = _text(_card(_page(client.get(HOME)), facility))
    assert "quá hạn" not in text
    assert f"gia hạn đến {TODAY + timedelta(days=7):%d/%m/%Y}" in text
    assert "Còn 7 ngày." in text


def test_an_extension_that_ran_out_is_the_day_it_is_overdue_from(
    client, facility_user, facility, reporting_period
):
    # Deadline 30 days ago, extended to 10 days ago: 10 days overdue, not 30 (the last allowed
    # day is the later of the two, deadlines.facility_deadline), and the extension is named.
    _deadline(-30)
    DeadlineException.objects.create(
        facility=facility, year=YEAR, until=TODAY - timedelta(days=10), reason="Bão lũ"
    )
    client.force_login(facility_user)
    text = _text(_card(_page(client.get(HOME)), facility))
    assert "Đã quá hạn 10 ngày" in text
    assert f"gia hạn đến {TODAY - timedelta(days=10):%d/%m/%Y}" in text


def test_on_the_deadline_day_staff_read_that_it_is_the_last_day(
    client, staff, facility, reporting_period
):
    _deadline(0)
    client.force_login(staff)
    (box,) = _page(client.get(HOME)).xpath('//section[@id="overdue-facilities"]')
    text = _text(box.xpath('.//*[@id="staff-deadline"]')[0])
    assert "Hôm nay là hạn cuối." in text and "Còn 0 ngày" not in text


def test_earlier_years_without_a_report_are_listed(client, facility_user, reporting_period):
    facility = facility_user.facilities.get()
    facility.established_year = YEAR - 3
    facility.save()
    AnnualReportFactory(facility=facility, year=YEAR)
    AnnualReportFactory(facility=facility, year=YEAR - 2)
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    (missing,) = card.xpath('.//*[contains(@class, "missing-years")]')
    text = _text(missing)
    assert str(YEAR - 1) in text and str(YEAR - 3) in text
    assert str(YEAR - 2) not in text and str(YEAR - 4) not in text


def test_unsent_reports_of_other_years_are_linked(
    client, facility_user, facility, reporting_period
):
    AnnualReportFactory(facility=facility, year=YEAR, state="submitted")
    earlier = AnnualReportFactory(facility=facility, year=YEAR - 1, state="returned")
    AnnualReportFactory(facility=facility, year=YEAR - 2, state="approved")
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    (unsent,) = card.xpath('.//*[contains(@class, "unfinished-reports")]')
    assert [a.get("href") for a in unsent.xpath(".//a")] == [earlier.get_absolute_url()]
    assert f"{YEAR - 1} (trả lại để sửa)" in _text(unsent)


def test_a_facility_not_operating_in_the_reporting_year_is_not_due(
    client, facility_user, facility, reporting_period
):
    facility.established_year = TODAY.year
    facility.save()
    client.force_login(facility_user)
    card = _card(_page(client.get(HOME)), facility)
    assert card.xpath('.//*[contains(@class, "not-due")]')
    (button,) = _buttons(card)
    assert button.get("href") == facility.get_absolute_url()


def test_a_user_without_facilities_is_told_whom_to_ask(client, db):
    user = UserFactory(username="coso_moi", role=Role.FACILITY)
    client.force_login(user)
    assert "Vui lòng liên hệ Sở Công Thương" in client.get(HOME).text


def test_the_facility_page_costs_the_same_for_many_facilities(
    client, facility_user, reporting_period, django_assert_max_num_queries
):
    for n in range(6):
        extra = FacilityFactory(name=f"Cơ sở thêm {n}")
        facility_user.facilities.add(extra)
        report = AnnualReportFactory(facility=extra, year=YEAR, state="draft")
        _finding(report, 0, "warning", f"Cảnh báo {n}")
        AnnualReportFactory(facility=extra, year=YEAR - 1, state="returned")
        DeadlineException.objects.create(
            facility=extra, year=YEAR, until=TODAY + timedelta(days=3), reason="Thử"
        )
    client.force_login(facility_user)
    with django_assert_max_num_queries(13):
        page = _page(client.get(HOME))
    assert len(page.xpath('//section[contains(@class, "facility-work")]')) == 7


# --- staff ---------------------------------------------------------------------------------


def test_staff_see_the_review_queue_oldest_first(client, staff, reporting_period):
    now = timezone.now()
    newer = AnnualReportFactory(
        facility=FacilityFactory(name="Công ty Gửi Sau"),
        year=YEAR,
        state="submitted",
        submitted_at=now - timedelta(days=1),
    )
    older = AnnualReportFactory(
        facility=FacilityFactory(name="Công ty Gửi Trước"),
        year=YEAR,
        state="submitted",
        submitted_at=now - timedelta(days=9),
    )
    AnnualReportFactory(facility=FacilityFactory(name="Công ty Đã Duyệt"), year=YEAR)
    client.force_login(staff)
    (queue,) = _page(client.get(HOME)).xpath('//section[@id="review-queue"]')
    links = queue.xpath('.//li[contains(@class, "queue-item")]/a')
    assert [a.get("href") for a in links] == [
        older.get_absolute_url(),
        newer.get_absolute_url(),
    ]
    assert _text(queue.xpath('.//*[@id="review-count"]')[0]) == "2"
    assert "Công ty Đã Duyệt" not in _text(queue)


def test_staff_see_facilities_overdue_for_the_reporting_year(client, staff, reporting_period):
    _deadline(-1)
    FacilityFactory(name="Công ty Chưa Nộp")
    drafting = FacilityFactory(name="Công ty Đang Soạn")
    AnnualReportFactory(facility=drafting, year=YEAR, state="draft")
    DeadlineException.objects.create(
        facility=drafting, year=YEAR, until=TODAY + timedelta(days=20), reason="Bão lũ"
    )
    sent = FacilityFactory(name="Công ty Đã Gửi")
    AnnualReportFactory(facility=sent, year=YEAR, state="submitted")
    FacilityFactory(name="Công ty Mới Lập", established_year=TODAY.year)
    client.force_login(staff)
    (box,) = _page(client.get(HOME)).xpath('//section[@id="overdue-facilities"]')
    text = _text(box)
    assert f"Cơ sở quá hạn báo cáo năm {YEAR}" in text
    names = [_text(li) for li in box.xpath('.//li[contains(@class, "missing-facility")]')]
    extended = (TODAY + timedelta(days=20)).strftime("%d/%m/%Y")
    assert names == [
        "Công ty Chưa Nộp · chưa lập báo cáo",
        f"Công ty Đang Soạn · đang soạn nháp · được gia hạn đến {extended}",
    ]
    # The extended facility is listed but not counted overdue: its own deadline is to come.
    assert _text(box.xpath('.//*[@id="missing-count"]')[0]) == "1"
    assert _text(box.xpath('.//*[@id="extended-count"]')[0]) == (
        "Không tính 1 cơ sở được gia hạn, chưa đến hạn mới (có trong danh sách dưới đây)."
    )
    (link,) = box.xpath('.//a[starts-with(@href, "/assessments/reports/missing/")]')
    assert client.get(link.get("href")).status_code == 200


def test_an_extension_that_ran_out_counts_overdue(client, staff, reporting_period):
    _deadline(-10)
    late = FacilityFactory(name="Công ty Hết Gia Hạn")
    DeadlineException.objects.create(
        facility=late, year=YEAR, until=TODAY - timedelta(days=1), reason="Bão lũ"
    )
    client.force_login(staff)
    (box,) = _page(client.get(HOME)).xpath('//section[@id="overdue-facilities"]')
    assert _text(box.xpath('.//*[@id="missing-count"]')[0]) == "1"
    assert not box.xpath('.//*[@id="extended-count"]')


def test_before_the_deadline_staff_see_who_has_not_reported_yet(
    client, staff, facility, reporting_period
):
    _deadline(12)
    client.force_login(staff)
    (box,) = _page(client.get(HOME)).xpath('//section[@id="overdue-facilities"]')
    text = _text(box)
    assert f"Cơ sở chưa nộp báo cáo năm {YEAR}" in text
    assert "Còn 12 ngày." in text
    assert facility.name in text


def test_staff_see_open_findings_by_severity(client, staff, reporting_period):
    report = AnnualReportFactory(year=YEAR, state="submitted")
    other = AnnualReportFactory(year=YEAR - 1)
    _finding(report, 0, "error", "Lỗi 1")
    _finding(other, 0, "error", "Lỗi 2")
    _finding(report, 1, "warning", "Cảnh báo")
    _finding(report, 2, "info", "Đã hết", resolved=True)
    client.force_login(staff)
    page = _page(client.get(HOME))
    rows = {
        li.get("data-severity"): _text(li)
        for li in page.xpath('//section[@id="quality-summary"]//li[@data-severity]')
    }
    assert rows == {"error": "Lỗi: 2", "warning": "Cảnh báo: 1", "info": "Thông tin: 0"}
    (error_link,) = page.xpath('//li[@data-severity="error"]/a')
    assert error_link.get("href") == reverse("assessments:quality_findings") + "?severity=error"
    assert _text(page.xpath('//*[@id="findings-total"]')[0]) == "3"


def test_staff_see_recent_import_jobs_and_assessments_waiting(client, staff, facility):
    ImportJob.objects.create(
        file_path="imports/a.xlsx", original_name="co-so-2025.xlsx", state="invalid"
    )
    AssessmentFactory(facility=facility, state="submitted")
    AssessmentFactory(state="approved")
    client.force_login(staff)
    page = _page(client.get(HOME))
    (job,) = page.xpath('//tr[contains(@class, "import-job")]')
    assert "co-so-2025.xlsx" in _text(job) and "Tệp có lỗi" in _text(job)
    (assessments,) = page.xpath('//section[@id="assessment-queue"]')
    assert _text(assessments.xpath('.//*[@id="assessment-count"]')[0]) == "1"
    assert facility.name in _text(assessments)


def test_the_staff_page_costs_the_same_for_many_records(
    client, staff, reporting_period, django_assert_max_num_queries
):
    _deadline(-1)
    rules = list(QualityRule.objects.order_by("pk")[:2])
    for n in range(12):
        facility = FacilityFactory(name=f"Cơ sở {n}")
        if n % 2:
            report = AnnualReportFactory(facility=facility, year=YEAR, state="submitted")
            QualityFinding.objects.create(
                report=report, rule=rules[n % 2], severity="warning", message="x"
            )
        AssessmentFactory(facility=facility, state="submitted")
        ImportJob.objects.create(file_path=f"imports/{n}.csv", original_name=f"{n}.csv")
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        page = _page(client.get(HOME))
    assert len(page.xpath('//li[contains(@class, "missing-facility")]')) == 6
    assert len(page.xpath('//tr[contains(@class, "import-job")]')) == 5


# --- officials -----------------------------------------------------------------------------


@pytest.fixture
def figures_2018(db):
    """Three facilities operating in 2018: one says it is aware (approved), one reports without
    (approved), one has no report. By hand: AWARE_PCT = 1/3 = 33,3 %; reporting 2/3 = 66,7 %."""
    aware = FacilityFactory(name="Công ty Gốm Phù Lãng", established_year=2010)
    plain = FacilityFactory(name="Công ty Nhựa Tiên Sơn", established_year=2010)
    FacilityFactory(name="Công ty Chưa Báo Cáo", established_year=2010)
    AnnualReportFactory(facility=aware, year=2018, aware=True)
    AnnualReportFactory(facility=plain, year=2018, aware=False)
    # A draft counts in neither.
    AnnualReportFactory(facility=FacilityFactory(established_year=2019), year=2019, state="draft")


def test_an_official_sees_the_latest_figures_written_the_vietnamese_way(
    client, official, figures_2018
):
    client.force_login(official)
    page = _page(client.get(HOME))
    assert "Chỉ tiêu Kế hoạch SXSH năm 2018" in _text(page.xpath('//*[@id="key-figures"]')[0])
    (row,) = page.xpath('//tr[@data-code="AWARE_PCT"]')
    assert _text(row.xpath('.//*[contains(@class, "figure-actual")]')[0]) == "33,3"
    computed = ind.compute_indicators(2018).get("AWARE_PCT")
    assert computed.value.actual == Decimal("33.3")
    assert str(computed.status_label) in _text(row)
    assert _text(page.xpath('//*[@id="reporting-rate"]')[0]) == "66,7 %"
    assert "2/3 cơ sở" in _text(page.xpath('//*[@id="reporting-card"]')[0])
    assert page.xpath('//canvas[@data-code="AWARE_PCT"]')
    assert page.xpath('//script[@id="dashboard-data"]')


def test_an_official_sees_issued_documents_but_not_others_drafts(
    client, official, staff, figures_2018
):
    issued = Report.objects.create(
        year=2018,
        format="pdf",
        state="succeeded",
        doc_type="BC",
        register_year=2019,
        number=7,
        issue_date=date(2019, 3, 2),
    )
    Report.objects.create(year=2018, format="xlsx", state="succeeded", requested_by=staff)
    client.force_login(official)
    page = _page(client.get(HOME))
    docs = page.xpath('//li[contains(@class, "issued-document")]')
    assert len(docs) == 1
    assert "Số 07/BC-SCT" in _text(docs[0]) and "02/03/2019" in _text(docs[0])
    assert docs[0].xpath(".//a")[0].get("href") == reverse("reports:download", args=[issued.pk])


def test_an_official_without_a_plan_year_sees_empty_states(client, official, db):
    PlanPeriod.objects.all().delete()
    client.force_login(official)
    text = _text(_page(client.get(HOME)))
    assert "Chưa có chỉ tiêu nào để hiển thị" in text
    assert "Chưa có văn bản nào được ban hành." in text


def test_the_official_page_costs_the_same_for_many_facilities(
    client, official, figures_2018, django_assert_max_num_queries
):
    for n in range(10):
        AnnualReportFactory(facility=FacilityFactory(established_year=2012), year=2018 - n % 3)
    for n in range(6):
        Report.objects.create(
            year=2018,
            format="pdf",
            state="succeeded",
            doc_type="BC",
            register_year=2019,
            number=n + 1,
            issue_date=date(2019, 3, 2),
        )
    assert Facility.objects.count() == 14
    client.force_login(official)
    fact_table.flush()  # the stored facts of the new facilities (a fixed cost, tested apart)
    with django_assert_max_num_queries(22):  # the indicators alone take a dozen
        page = _page(client.get(HOME))
    assert len(page.xpath('//li[contains(@class, "issued-document")]')) == 5


def test_the_reporting_year_is_the_report_forms_default(facility, reporting_period):
    from assessments.report_forms import default_report_year, facility_report_years

    assert default_report_year(facility, facility_report_years(facility)) == YEAR
    assert AnnualReport.objects.count() == 0


def test_the_demo_facility_user_has_work_on_the_home_page(client, settings, db):
    """seed_demo leaves `coso` its latest report to fix (returned with a comment, with an
    exception to resubmit): its home page shows that work, not an empty list."""
    from ops.demo import seed_demo

    settings.PORTAL_PROVINCE_CODE = 27
    seed_demo(facilities=12, seed=11)
    coso = User.objects.get(username="coso")
    facility = coso.facilities.get()
    client.force_login(coso)
    card = _card(_page(client.get(HOME)), facility)
    (button,) = _buttons(card)
    if YEAR == 2025:  # the demo's latest year
        assert card.get("data-state") == "returned"
        assert button.text_content().strip() == "Sửa báo cáo"
        assert "Đề nghị bổ sung lượng nước" in _text(card)
        assert "quá hạn" not in _text(card)  # the exception lets it resubmit
    else:
        assert card.get("data-state") == "not_started"
        assert button.text_content().strip() == f"Lập báo cáo năm {YEAR}"
