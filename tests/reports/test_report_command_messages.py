"""`manage.py generate_report`: a wait shorter than a second (0, negative) is refused before
anything is queued, and what the command tells while it waits is Vietnamese like its other
messages."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import Report
from reports.tasks import generate_report_task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("timeout", ["-5", "0", "0.5", "nan", "inf", "86401"])
def test_a_timeout_outside_one_second_to_a_day_is_refused(timeout):
    refused = pytest.raises(CommandError, match=r"--timeout \(số giây chờ\) phải từ 1 đến 86\.400")
    with mock.patch.object(generate_report_task, "apply_async") as enqueued, refused:
        call_command("generate_report", "--year=2018", "--format=pdf", f"--timeout={timeout}")
    enqueued.assert_not_called()
    assert not Report.objects.exists()


def test_waiting_is_told_in_vietnamese(capsys):
    with (
        mock.patch.object(generate_report_task, "apply_async"),
        pytest.raises(CommandError) as refused,
    ):
        call_command("generate_report", "--year=2018", "--format=xlsx", "--timeout=1")
    report = Report.objects.get()
    assert str(refused.value) == (
        f"Báo cáo #{report.pk} vẫn ở trạng thái “Đang chờ” sau 1 giây: tiến trình nền Celery "
        "(worker) có đang chạy không (make worker)?"
    )
    err = capsys.readouterr().err
    assert f"Báo cáo #{report.pk} đã vào hàng đợi; đang chờ tiến trình nền (worker)…" in err
    assert "queued; waiting" not in err
    assert "  Đang chờ 0%" in err and "queued 0%" not in err  # the state by its Vietnamese name


def test_a_reused_job_is_told_in_vietnamese(capsys):
    job = Report.objects.create(year=2018, format="xlsx", state=Report.State.RUNNING)
    with pytest.raises(CommandError, match=rf"Báo cáo #{job.pk} vẫn ở trạng thái “Đang tạo”"):
        call_command("generate_report", "--year=2018", "--format=xlsx", "--timeout=1.5")
    err = capsys.readouterr().err
    assert f"Báo cáo #{job.pk} (cùng yêu cầu) đang ở trạng thái “Đang tạo”; đang chờ…" in err
