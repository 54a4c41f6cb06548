"""assessments:report_reminder — staff remind one facility now, from the missing-reports page,
of a year's annual report: a confirmation page naming the recipients, then a POST that records
the reminder in the audit log and queues the scheduled reminder's mail; refused when the facility
has handed the report in, has nobody to mail, or was reminded within 24 hours. The page shows
each facility's registry contact."""

import contextlib
import threading
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments import reminders, tasks
from assessments.models import DeadlineException
from assessments.notifications import reminder_overdue
from core.models import AuditEvent

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory, UserFactory
from .national_helpers import national, staff_bn, staff_hp, two_provinces  # noqa: F401

MISSING = reverse("assessments:missing_reports")
FILTERS = {"year": "2019", "pending": "1", "page": "1"}


def _url(facility) -> str:
    return reverse("assessments:report_reminder", args=[facility.pk])


@pytest.fixture
def run_tasks(monkeypatch):
    """The reminder task runs in the test (its mail reaches the outbox) once queued."""
    monkeypatch.setattr(tasks.notify_report_reminder, "delay", tasks.notify_report_reminder)


@pytest.fixture
def second_user(facility):
    """Another representative of the facility, who reads the portal in English."""
    user = UserFactory(username="coso_en", role=Role.FACILITY, language="en")
    user.facilities.add(facility)
    return user


def _send(client, facility, django_capture_on_commit_callbacks, data=FILTERS):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(_url(facility) + "?" + _query(data))


def _query(data) -> str:
    return urlencode(data)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _entries():
    return AuditEvent.objects.filter(action=AuditEvent.Action.REPORT_REMINDER)


# --- the confirmation page and the send ---------------------------------------------------------


def test_the_confirmation_names_the_recipients_and_sends_nothing(
    client, staff, facility, facility_user, mailoutbox
):
    client.force_login(staff)
    response = client.get(_url(facility), FILTERS)
    assert response.status_code == 200
    assert facility_user.email in response.text
    assert "Gửi thư nhắc tới 1 người nhận" in response.text
    assert 'method="post"' in response.text
    assert mailoutbox == []
    assert not _entries().exists()


def test_it_works(
    client,
    staff,
    facility,
    facility_user,
    second_user,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    response = _send(client, facility, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == MISSING + "?" + _query(FILTERS)
    assert _messages(response) == [
        f"Đã gửi thư nhắc nộp báo cáo năm 2019 cho {facility.name} (2 người nhận)."
    ]
    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {(facility_user.email,), (second_user.email,)}
    vietnamese = by_address[(facility_user.email,)]
    # 2019's deadline (15/01/2020) has passed: the facility is asked to contact the Department.
    assert vietnamese.subject == "[SXSH] Nhắc nộp báo cáo năm 2019 (đã quá hạn ngày 15/01/2020)"
    assert f"báo cáo năm 2019 của {facility.name}" in vietnamese.body
    assert "liên hệ Sở Công Thương để được gia hạn" in vietnamese.body
    assert vietnamese.body.endswith("Cổng thông tin Sản xuất sạch hơn · Sở Công Thương")
    assert "Cleaner Production Portal" in by_address[(second_user.email,)].body


def test_an_open_deadline_gets_the_scheduled_wording_in_each_language(
    client,
    staff,
    facility,
    facility_user,
    second_user,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    until = timezone.localdate() + timedelta(days=30)
    DeadlineException.objects.create(facility=facility, year=2019, until=until)
    client.force_login(staff)
    assert "reminder-overdue" not in client.get(_url(facility), FILTERS).text
    _send(client, facility, django_capture_on_commit_callbacks)
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    day = until.strftime("%d/%m/%Y")
    assert subjects[facility_user.email] == f"[SXSH] Nhắc nộp báo cáo năm 2019 trước ngày {day}"
    assert subjects[second_user.email] == (f"[CP] Reminder: submit the 2019 annual report by {day}")


def test_only_active_facility_accounts_with_an_email_are_mailed(
    client, staff, facility, facility_user, run_tasks, django_capture_on_commit_callbacks
):
    for username, fields in (
        ("coso_khoa", {"is_active": False}),
        ("coso_khong_email", {"email": ""}),
        ("canbo_lien_ket", {"role": Role.STAFF}),
    ):
        UserFactory(username=username, **{"role": Role.FACILITY, **fields}).facilities.add(facility)
    client.force_login(staff)
    response = client.get(_url(facility), FILTERS)
    assert [user.email for user in response.context["recipients"]] == [facility_user.email]
    _send(client, facility, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[facility_user.email]]


def test_the_audit_log_records_who_sent_it(
    client, staff, facility, facility_user, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    _send(client, facility, django_capture_on_commit_callbacks)
    [entry] = _entries()
    assert entry.actor == staff
    assert entry.actor_username == staff.username
    assert entry.target.startswith(f"facility #{facility.pk} ")
    assert entry.detail == {"facility_id": facility.pk, "year": 2019, "recipients": 1}
    assert entry.client_address == "127.0.0.1"


def test_the_redirect_keeps_the_place_filter_and_the_page(
    client, staff, facility, facility_user, django_capture_on_commit_callbacks
):
    district = DistrictFactory(code="256", name="Huyện Quế Võ")
    data = {"year": "2019", "district": str(district.pk), "page": "2"}
    client.force_login(staff)
    response = _send(client, facility, django_capture_on_commit_callbacks, data)
    assert response.url == MISSING + "?" + _query(data)


def test_the_page_year_decides_what_is_reminded(
    client, staff, facility, facility_user, django_capture_on_commit_callbacks
):
    """Without ?year= the page shows last year's list; the reminder is of last year too."""
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(facility))
    assert response.url == MISSING
    assert _entries().get().detail["year"] == timezone.localdate().year - 1


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_a_facility_that_reported_is_not_reminded(
    client, staff, facility, facility_user, state, run_tasks, django_capture_on_commit_callbacks
):
    AnnualReportFactory(facility=facility, year=2019, state=state)
    client.force_login(staff)
    refusal = f"{facility.name} đã có báo cáo năm 2019 (đã gửi hoặc đã được duyệt); không cần nhắc."
    assert refusal in client.get(_url(facility), FILTERS).text
    response = _send(client, facility, django_capture_on_commit_callbacks)
    assert response.url == MISSING + "?" + _query(FILTERS)
    assert _messages(response) == [refusal]
    assert mail.outbox == []
    assert not _entries().exists()


def test_a_draft_or_returned_report_is_still_reminded(
    client, staff, facility, facility_user, run_tasks, django_capture_on_commit_callbacks
):
    AnnualReportFactory(facility=facility, year=2019, state="returned")
    client.force_login(staff)
    _send(client, facility, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[facility_user.email]]


def test_a_facility_without_a_mailable_account_is_refused_with_its_phone(
    client, staff, run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    facility = FacilityFactory(name="Cơ sở Không E-mail", contact_phone="0222 3821 234")
    UserFactory(username="coso_trong", role=Role.FACILITY, email="").facilities.add(facility)
    client.force_login(staff)
    response = _send(client, facility, django_capture_on_commit_callbacks)
    assert _messages(response) == [
        "Cơ sở Không E-mail không có tài khoản đại diện nào đang hoạt động có e-mail để nhận "
        "thư nhắc. Hãy gọi điện cho cơ sở. Số điện thoại liên hệ: 0222 3821 234."
    ]
    assert mailoutbox == []
    assert not _entries().exists()


def test_a_second_reminder_within_24_hours_is_refused(
    client, staff, facility, facility_user, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    _send(client, facility, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    sent_at = timezone.localtime(_entries().get().at)
    response = _send(client, facility, django_capture_on_commit_callbacks)
    message = _messages(response)[-1]  # after the first send's, not yet shown
    assert message.startswith(f"{facility.name} đã được nhắc nộp báo cáo năm 2019 lúc ")
    assert sent_at.strftime("%H:%M %d/%m/%Y") in message
    assert staff.full_name in message
    assert len(mail.outbox) == 1
    assert _entries().count() == 1
    # Another year's report is another reminder.
    _send(client, facility, django_capture_on_commit_callbacks, {"year": "2018"})
    assert len(mail.outbox) == 2


def test_a_reminder_may_be_sent_again_after_24_hours(
    client, staff, facility, facility_user, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    _send(client, facility, django_capture_on_commit_callbacks)
    _entries().update(at=timezone.now() - timedelta(hours=24, minutes=1))
    _send(client, facility, django_capture_on_commit_callbacks)
    assert _entries().count() == 2


# --- access -----------------------------------------------------------------------------------


def test_it_requires_login(client, facility):
    response = client.get(_url(facility))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_officials_and_facility_users_are_refused(
    client, official, facility, facility_user, django_capture_on_commit_callbacks, mailoutbox
):
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(_url(facility), FILTERS).status_code == 403
        assert _send(client, facility, django_capture_on_commit_callbacks).status_code == 403
    assert mailoutbox == []
    assert not _entries().exists()


def test_another_provinces_facility_is_not_found(
    client,
    national,  # noqa: F811
    two_provinces,  # noqa: F811
    staff_bn,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _, hai_phong = two_provinces
    UserFactory(username="coso_hp", role=Role.FACILITY).facilities.add(hai_phong)
    client.force_login(staff_bn)
    assert client.get(_url(hai_phong), FILTERS).status_code == 404
    assert _send(client, hai_phong, django_capture_on_commit_callbacks).status_code == 404
    assert not _entries().exists()


def test_the_own_provinces_staff_may_remind(
    client,
    national,  # noqa: F811
    two_provinces,  # noqa: F811
    staff_hp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _, hai_phong = two_provinces
    UserFactory(username="coso_hp", role=Role.FACILITY).facilities.add(hai_phong)
    client.force_login(staff_hp)
    assert _send(client, hai_phong, django_capture_on_commit_callbacks).status_code == 302
    assert _entries().get().actor == staff_hp


# --- the missing-reports page -----------------------------------------------------------------


@pytest.fixture
def listed(facility):
    """Three late facilities with registry contacts, and one whose report awaits review."""
    late = [
        FacilityFactory(
            name=f"Cơ sở Liên Hệ {n}",
            contact_name=f"Bà Nguyễn Thị {n}",
            contact_phone=f"0912 000 00{n}",
            contact_email=f"lienhe{n}@example.vn",
        )
        for n in range(3)
    ]
    waiting = FacilityFactory(name="Cơ sở Chờ Duyệt")
    AnnualReportFactory(facility=waiting, year=2019, state="submitted")
    AnnualReportFactory(facility=facility, year=2019, state="approved")
    return late, waiting


def test_the_page_shows_contacts_and_reminder_buttons_to_staff(
    client, staff, listed, django_assert_max_num_queries
):
    late, waiting = listed
    client.force_login(staff)
    client.get(MISSING, FILTERS)
    FacilityFactory.create_batch(10, contact_phone="0222 3 888 999")
    with django_assert_max_num_queries(10):
        response = client.get(MISSING, FILTERS)
    text = response.text
    for n, facility in enumerate(late):
        assert f"Bà Nguyễn Thị {n}" in text
        assert f'href="tel:091200000{n}"' in text
        assert f'href="mailto:lienhe{n}@example.vn"' in text
        assert f"{_url(facility)}?year=2019&amp;pending=1&amp;page=1" in text
    # Awaiting review: handed in, nothing to remind.
    assert f'href="{_url(waiting)}' not in text
    assert text.count("Gửi nhắc ngay") == 3 + 10


def test_officials_read_the_contacts_without_buttons(client, official, listed):
    """Officials read the registry, contacts included (DESIGN §2); they send nothing."""
    client.force_login(official)
    text = client.get(MISSING, FILTERS).text
    assert "Bà Nguyễn Thị 0" in text
    assert "Gửi nhắc ngay" not in text


# --- the rule and the task --------------------------------------------------------------------


def test_a_facility_not_operating_that_year_is_refused(facility, facility_user):
    facility.established_year = 2020
    facility.save()
    assert reminders.reminder_refusal(facility, 2019) == (
        f"{facility.name} không hoạt động trong năm 2019 (cơ sở thành lập năm 2020), không phải "
        "báo cáo năm này."
    )


def test_no_phone_no_phone_line(facility):
    refusal = reminders.reminder_refusal(facility, 2019)
    assert refusal.endswith("Hãy gọi điện cho cơ sở.")


def test_the_rule_counts_the_last_reminder_of_that_year(staff, facility, facility_user):
    assert reminders.reminder_refusal(facility, 2019) is None
    assert reminders.report_reminder_send(facility=facility, year=2019, by=staff) == 1
    sent = reminders.last_reminder(facility, 2019).at
    assert reminders.reminder_refusal(facility, 2019) is not None
    later = sent + reminders.REMIND_AGAIN_AFTER + timedelta(seconds=1)
    assert reminders.reminder_refusal(facility, 2019, now=later) is None
    with pytest.raises(reminders.ReminderRefused):
        reminders.report_reminder_send(facility=facility, year=2019, by=staff)


def test_the_task_sends_nothing_once_the_report_is_in(facility, facility_user, mailoutbox):
    AnnualReportFactory(facility=facility, year=2019, state="submitted")
    assert tasks.notify_report_reminder(facility.pk, 2019) == 0
    assert tasks.notify_report_reminder(0, 2019) == 0
    assert mailoutbox == []


def test_the_task_mails_the_representatives(facility, facility_user, mailoutbox):
    assert tasks.notify_report_reminder(facility.pk, 2019) == 1
    assert mailoutbox[0].to == [facility_user.email]


def test_a_returned_report_may_be_resent_whatever_the_deadline(facility, facility_user, staff):
    """A report staff returned after receiving it can be resubmitted after the deadline: the
    mail asks for it, not for an extension."""
    assert reminder_overdue(facility, 2019)
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    report.events.create(action="submit", from_state="draft", to_state="submitted")
    report.state = "returned"
    report.save()
    assert not reminder_overdue(facility, 2019)
    assert date(2020, 1, 15) < timezone.localdate()


def test_a_returned_report_is_asked_back_without_a_stale_deadline(
    facility, facility_user, mailoutbox
):
    """The mail for a report staff returned asks for it corrected and resent: the Department has
    received it, and no deadline long past holds a resubmission."""
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    report.events.create(action="submit", from_state="draft", to_state="submitted")
    report.state = "returned"
    report.save()
    assert tasks.notify_report_reminder(facility.pk, 2019) == 1
    (message,) = mailoutbox
    assert message.subject == "[SXSH] Nhắc gửi lại báo cáo năm 2019 đã được trả lại để sửa"
    assert "đã trả lại báo cáo năm 2019" in message.body and "sửa và gửi lại" in message.body
    assert "chưa nhận được báo cáo" not in message.body
    assert "15/01/2020" not in message.body  # the 2019 deadline, long past


# --- one facility's reminder, the latest, the boundary, two clicks at once ---------------------


def test_a_reminder_to_one_facility_does_not_hold_back_another(
    client,
    staff,
    facility,
    facility_user,
    other_facility,
    outsider,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff)
    for place in (facility, other_facility):
        response = _send(client, place, django_capture_on_commit_callbacks)
        assert _messages(response)[-1] == (
            f"Đã gửi thư nhắc nộp báo cáo năm 2019 cho {place.name} (1 người nhận)."
        )
    assert sorted(entry.detail["facility_id"] for entry in _entries()) == sorted(
        [facility.pk, other_facility.pk]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [facility_user.email, outsider.email]
    )


def _reminded(facility, by, at):
    return AuditEvent.objects.create(
        at=at,
        actor=by,
        actor_username=by.username,
        action=AuditEvent.Action.REPORT_REMINDER,
        target=f"facility #{facility.pk}",
        detail={"facility_id": facility.pk, "year": 2019, "recipients": 1},
    )


def test_the_refusal_quotes_the_latest_reminder(
    client, staff, facility, facility_user, run_tasks, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _reminded(
        facility, UserFactory(username="canbo_cu", full_name="Đỗ Văn Cũ"), now - timedelta(days=3)
    )
    latest = _reminded(
        facility,
        UserFactory(username="canbo_moi", full_name="Hoàng Thị Mới"),
        now - timedelta(hours=1),
    )
    client.force_login(staff)
    message = _messages(_send(client, facility, django_capture_on_commit_callbacks))[-1]
    at = timezone.localtime(latest.at)
    again = timezone.localtime(latest.at + reminders.REMIND_AGAIN_AFTER)
    assert message == (
        f"{facility.name} đã được nhắc nộp báo cáo năm 2019 lúc {at:%H:%M %d/%m/%Y} "
        f"(Hoàng Thị Mới). Chỉ nhắc lại được từ {again:%H:%M %d/%m/%Y}."
    )
    assert mail.outbox == []
    assert _entries().count() == 2


def test_a_reminder_may_be_sent_again_from_the_moment_the_refusal_names(
    staff, facility, facility_user
):
    reminders.report_reminder_send(facility=facility, year=2019, by=staff)
    last = reminders.last_reminder(facility, 2019)
    again = last.at + reminders.REMIND_AGAIN_AFTER
    assert reminders.reminder_refusal(facility, 2019, now=again - timedelta(microseconds=1))
    assert reminders.reminder_refusal(facility, 2019, now=again) is None


@pytest.mark.django_db(transaction=True)
def test_two_reminders_sent_at_once_make_one(monkeypatch):
    """Two clicks at the same moment: both would pass the rule if nothing held the second back;
    the facility's row lock makes it wait for the first's entry, and it is refused."""
    facility = FacilityFactory(name="Công ty Cổ phần Bia Hải Dương")
    UserFactory(username="coso_test", role=Role.FACILITY).facilities.add(facility)
    staff = UserFactory(username="canbo_test", role=Role.STAFF)
    queued = []
    monkeypatch.setattr(tasks.notify_report_reminder, "delay", lambda *args: queued.append(args))
    # Each caller, once the rule lets it through, waits (up to 2 s) for the other to get there
    # too: without the lock both are let through before either records its reminder.
    barrier = threading.Barrier(2, timeout=2)
    decide = reminders.reminder_refusal

    def decide_then_wait(*args, **kwargs):
        refusal = decide(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return refusal

    monkeypatch.setattr(reminders, "reminder_refusal", decide_then_wait)
    outcomes = []

    def send():
        try:
            outcomes.append(reminders.report_reminder_send(facility=facility, year=2019, by=staff))
        except reminders.ReminderRefused as refused:
            outcomes.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ReminderRefused", "int"]
    assert 1 in outcomes
    assert _entries().count() == 1
    assert queued == [(facility.pk, 2019)]
