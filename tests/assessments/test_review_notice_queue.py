"""The review e-mails say what each step decided, however late the worker sends them: with the
worker stopped, steps pile up in the queue; the facility's mail of each step is written from the
arguments the step queued (state, comment, changed figures), not from the report as the worker
finds it."""

import json

import pytest
from django.urls import reverse

from assessments import tasks

from .report_helpers import report_data

# The POST of the edit form with the figures AnnualReportFactory stores: nothing changed.
SAME_FIGURES = {
    "output": "1000",
    "electricity_kwh": "500000",
    "coal_t": "100",
    "water_m3": "",
    "employees": "",
    "revenue_bn_vnd": "",
    "capital_bn_vnd": "",
    "aware": None,
    "trained_staff": "0",
}
RACE = "RACE: thiếu số liệu nước."


@pytest.fixture
def queue(monkeypatch):
    """The broker with the worker stopped: each `delay` keeps the task and its arguments."""
    queued = []
    for name in ("notify_report_submitted", "notify_report_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(
            task, "delay", lambda *args, task=task, **kwargs: queued.append((task, args, kwargs))
        )
    return queued


def _run_worker(queue) -> None:
    """The worker started: it runs the queued tasks, in order, with what was queued (JSON)."""
    for task, args, kwargs in queue:
        task(*args, **kwargs)
    queue.clear()


def _step(client, captured, name, report, data):
    with captured(execute=True):
        response = client.post(reverse(f"assessments:{name}", args=[report.pk]), data)
    assert response.status_code == 302


def _save_and_approve(client, captured, report, **figures):
    post = report_data(**{**SAME_FIGURES, **figures})
    del post["year"]
    report.refresh_from_db()
    post["version"] = report.version
    with captured(execute=True):
        response = client.post(reverse("assessments:report_edit", args=[report.pk]), post)
    assert response.status_code == 302


def test_a_return_then_a_staff_approval_mail_each_step(
    client,
    staff,
    facility_user,
    submitted_report,
    queue,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    _step(
        client,
        django_capture_on_commit_callbacks,
        "report_return",
        submitted_report,
        {"confirm": "1", "text": RACE},
    )
    _save_and_approve(client, django_capture_on_commit_callbacks, submitted_report, output="999")
    submitted_report.refresh_from_db()
    assert submitted_report.state == "approved"
    assert mailoutbox == []  # nothing sent while the worker is stopped

    _run_worker(queue)

    returned, approved = mailoutbox
    assert returned.to == approved.to == [facility_user.email]
    assert "bị trả lại" in returned.subject
    assert RACE in returned.body
    assert "đã được duyệt" in approved.subject
    assert RACE not in approved.body
    assert "Cán bộ Sở đã sửa số liệu của báo cáo khi duyệt: sản lượng." in approved.body


def test_a_return_then_a_resubmission_still_mails_the_return(
    client,
    staff,
    facility_user,
    submitted_report,
    open_deadline,
    queue,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    _step(
        client,
        django_capture_on_commit_callbacks,
        "report_return",
        submitted_report,
        {"confirm": "1", "text": RACE},
    )
    client.force_login(facility_user)
    _step(
        client,
        django_capture_on_commit_callbacks,
        "report_submit",
        submitted_report,
        {"confirm": "1"},
    )
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"
    assert submitted_report.review_comment == ""

    _run_worker(queue)

    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {(facility_user.email,), (staff.email,)}
    returned = by_address[(facility_user.email,)]
    assert "bị trả lại" in returned.subject
    assert RACE in returned.body
    assert "đã gửi báo cáo năm 2019" in by_address[(staff.email,)].subject


def test_an_approval_comment_then_a_reopening_mail_each_comment(
    client,
    staff,
    facility_user,
    submitted_report,
    queue,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    approve = {"confirm": "1", "text": "Số liệu đầy đủ."}
    _step(client, django_capture_on_commit_callbacks, "report_approve", submitted_report, approve)
    reopen = {"confirm": "1", "text": "Cơ sở khai sai đơn vị.", "to_state": "returned"}
    _step(client, django_capture_on_commit_callbacks, "report_reopen", submitted_report, reopen)

    _run_worker(queue)

    approved, returned = mailoutbox
    assert "đã được duyệt" in approved.subject
    assert "Ý kiến của Sở: Số liệu đầy đủ." in approved.body
    assert "Cơ sở khai sai đơn vị." not in approved.body
    assert "bị trả lại" in returned.subject
    assert "Ý kiến của Sở: Cơ sở khai sai đơn vị." in returned.body


def test_the_queued_arguments_are_json(
    client, staff, submitted_report, queue, django_capture_on_commit_callbacks
):
    """What the step queues goes through the broker's JSON as it is."""
    client.force_login(staff)
    _step(
        client,
        django_capture_on_commit_callbacks,
        "report_return",
        submitted_report,
        {"confirm": "1", "text": RACE},
    )
    [(task, args, kwargs)] = queue
    assert task is tasks.notify_report_reviewed
    assert json.loads(json.dumps([args, kwargs])) == [
        [submitted_report.pk],
        {"state": "returned", "comment": RACE, "changed": []},
    ]
