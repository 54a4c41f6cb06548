"""The department's cycle (issue 15 point 4) through a REAL Celery worker: the scheduled run, once
the self-report deadline plus REPORT_REVIEW_DAYS has passed, builds a DRAFT and e-mails the staff,
not the officials (the worker sends the mail to a small SMTP server run by this test)."""

import socketserver
import threading
from datetime import date
from email import message_from_bytes, policy

import pytest

from accounts.models import Role
from assessments.models import ReportingDeadline
from reports.models import Report
from reports.tasks import annual_reports_task

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


def test_scheduled_run_builds_a_draft_and_tells_staff_only(tmp_path, settings, smtp_server):
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
        [report_id] = annual_reports_task()  # what beat runs daily
        report = Report.objects.get(pk=report_id)
        wait_for(
            lambda: Report.objects.get(pk=report_id).is_finished and smtp_server.messages,
            timeout=60,
            worker=worker,
            what="draft built and mail sent",
        )
    report.refresh_from_db()
    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.scheduled and report.year == today.year - 1
    assert not report.is_issued  # a draft: officials do not see it
    assert not Report.objects.visible_to(official).filter(pk=report.pk).exists()
    [message] = smtp_server.messages
    assert message["to"] == [staff.email]
    assert official.email not in message["to"]
    mail = message_from_bytes(message["data"], policy=policy.default)
    assert "Dự thảo" in mail["Subject"]
    assert f"/reports/files/{report.pk}/" in mail.get_content()
    # Running again the same day does nothing: one draft per year and format.
    assert annual_reports_task() == []
