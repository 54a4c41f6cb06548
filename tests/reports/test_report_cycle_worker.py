"""The department's cycle (issue 15 point 4) through a REAL Celery worker: the scheduled run, once
the self-report deadline plus REPORT_REVIEW_DAYS has passed, builds a DRAFT and e-mails the staff,
not the officials (the worker sends the mail to a small SMTP server run by this test)."""

import re
import socketserver
import threading
from datetime import date
from email import message_from_bytes, policy
from io import BytesIO

import docx
import pytest

from accounts.models import Role
from assessments.models import ReportingDeadline
from reports.models import Report
from reports.tasks import annual_reports_task, half_year_reports_task

from ..celery_helpers import wait_for
from ..factories import UserFactory
from .report_files_data import build_report_data
from .report_worker_helpers import prefork_worker, report_worker_env, reserved_queue

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend (EHLO, MAIL, RCPT, DATA, QUIT)."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test")
        envelope = {"to": [], "data": b""}
        while raw := self.rfile.readline():
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == "RCPT":
                envelope["to"].append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go")
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    envelope["data"] += line
                self.server.messages.append(dict(envelope))
                envelope = {"to": [], "data": b""}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_scheduled_run_builds_a_draft_and_tells_staff_only(
    tmp_path, settings, smtp_server, plan_2021_2030
):
    build_report_data()
    staff = UserFactory(username="canbo_chu_ky", role=Role.STAFF, email="canbo@so.example.vn")
    official = UserFactory(username="lanhdao_chu_ky", role=Role.OFFICIAL, email="ld@so.example.vn")
    today = date.today()
    # Last year's self-reports were due yesterday-ish; no review window: the run is due today.
    ReportingDeadline.objects.create(year=today.year - 1, deadline=date(today.year, 1, 1))
    settings.REPORT_REVIEW_DAYS = 0
    settings.REPORT_AUTO_FORMATS = ["xlsx"]
    port = smtp_server.server_address[1]
    env = report_worker_env(tmp_path, settings, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    with reserved_queue() as queue, prefork_worker(env, log_dir=tmp_path, queue=queue) as worker:
        # What beat runs daily: last year's report, and the Ministry's table with it.
        [report_id, table_id] = annual_reports_task()
        report = Report.objects.get(pk=report_id)
        wait_for(
            lambda: (
                not Report.objects.filter(pk__in=[report_id, table_id]).active().exists()
                and len(smtp_server.messages) == 2
            ),
            timeout=60,
            worker=worker,
            what="draft and the Ministry's table built and mails sent",
        )
    report.refresh_from_db()
    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.scheduled and report.year == today.year - 1
    assert not report.is_issued  # a draft: officials do not see it
    assert not Report.objects.visible_to(official).filter(pk=report.pk).exists()
    table = Report.objects.get(pk=table_id)
    assert (table.kind, table.format, table.state) == ("ministry_table", "xlsx", "succeeded")
    mails = {_link(message): message for message in smtp_server.messages}
    assert set(mails) == {report.pk, table.pk}  # one mail per built file
    for message in smtp_server.messages:
        assert message["to"] == [staff.email]
        assert official.email not in message["to"]
        mail = message_from_bytes(message["data"], policy=policy.default)
        assert "Dự thảo" in mail["Subject"]
    # Running again the same day does nothing: one draft per year, kind and format.
    assert annual_reports_task() == []


def _link(message) -> int:
    """The report id of the link in a mail's body."""
    body = message_from_bytes(message["data"], policy=policy.default).get_content()
    return int(re.search(r"/reports/files/(\d+)/", body).group(1))


def test_scheduled_half_year_run_builds_a_draft_and_tells_staff_only(
    tmp_path, settings, smtp_server, plan_2021_2030
):
    build_report_data()
    staff = UserFactory(username="canbo_6_thang", role=Role.STAFF, email="canbo6@so.example.vn")
    official = UserFactory(username="lanhdao_6_thang", role=Role.OFFICIAL, email="ld6@so.vn")
    today = date.today()
    # The first half's data were due on 1 January, no review window: the run is due today.
    settings.REPORT_HALF_YEAR_MONTH_DAY = (1, 1)
    settings.REPORT_REVIEW_DAYS = 0
    settings.REPORT_AUTO_FORMATS = ["docx"]
    port = smtp_server.server_address[1]
    env = report_worker_env(tmp_path, settings, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    with reserved_queue() as queue, prefork_worker(env, log_dir=tmp_path, queue=queue) as worker:
        [report_id] = half_year_reports_task()  # what beat runs daily
        wait_for(
            lambda: Report.objects.get(pk=report_id).is_finished and smtp_server.messages,
            timeout=90,
            worker=worker,
            what="half-year draft built and mail sent",
        )
    report = Report.objects.get(pk=report_id)
    assert report.state == Report.State.SUCCEEDED, report.error
    assert (report.kind, report.year, report.scheduled) == ("half_year_progress", today.year, True)
    assert not report.is_issued
    assert not Report.objects.visible_to(official).filter(pk=report.pk).exists()
    with report.file.open("rb") as handle:
        document = docx.Document(BytesIO(handle.read()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert f"6 tháng đầu năm {today.year}" in text
    [message] = smtp_server.messages
    assert message["to"] == [staff.email]
    mail = message_from_bytes(message["data"], policy=policy.default)
    assert "Dự thảo" in mail["Subject"] and "6 tháng đầu năm" in mail["Subject"]
    assert _link(message) == report.pk
    assert half_year_reports_task() == []
