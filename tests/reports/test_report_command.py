"""`manage.py generate_report` without a worker process (the real worker runs in
test_report_worker.py): it queues like the web page, waits, writes the file, fails loudly."""

import subprocess
import sys
from unittest import mock

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports import generation
from reports.models import Report
from reports.tasks import generate_report_task

from ..celery_helpers import BASE_DIR, purge_queue, worker_env


def run_inline(report_id: int, task_id: str) -> None:
    """Stand-in for the broker and worker: run the task body as soon as it is enqueued."""
    generation.report_generate(report_id=report_id, task_id=task_id)


@pytest.mark.django_db(transaction=True)
def test_it_writes_the_file_to_a_default_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with mock.patch("reports.generation._enqueue", side_effect=run_inline) as enqueue:
        call_command("generate_report", "--year", "2018", "--format", "docx")
    report = Report.objects.get()
    enqueue.assert_called_once_with(report.pk, report.task_id)
    written = tmp_path / f"bao-cao-sxsh-2018-{report.pk}.docx"
    assert written.read_bytes()[:2] == b"PK"
    out = capsys.readouterr()
    assert report.sha256 in out.out
    assert "  Hoàn thành 100%" in out.err  # the state by its Vietnamese name


@pytest.mark.django_db(transaction=True)
def test_it_fails_with_the_jobs_error(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_TEST_FAIL", "1")

    def fail_three_times(report_id, task_id):
        for _ in range(Report.MAX_ATTEMPTS):
            generation.report_generate(report_id=report_id)

    output = tmp_path / "x.pdf"
    inline = mock.patch("reports.generation._enqueue", side_effect=fail_three_times)
    failure = pytest.raises(
        CommandError, match="bị lỗi: Lần chạy 3/3 lỗi: Lỗi hệ thống, mã tham chiếu: [0-9a-f]{12}$"
    )
    with inline, failure:
        call_command("generate_report", "--year=2018", "--format=pdf", f"--output={output}")
    assert not output.exists()


@pytest.mark.django_db
def test_it_times_out_without_a_worker(tmp_path):
    no_broker = mock.patch.object(generate_report_task, "apply_async")
    failure = pytest.raises(CommandError, match="“Đang chờ” sau 1 giây: tiến trình nền Celery")
    with no_broker, failure:
        call_command("generate_report", "--year=2018", "--format=xlsx", "--timeout=1")


@pytest.mark.django_db
def test_it_rejects_bad_input():
    with pytest.raises(CommandError):
        call_command("generate_report", "--year", "2018", "--format", "exe")
    with pytest.raises(CommandError):
        call_command("generate_report", "--format", "pdf")
    assert not Report.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_exit_status_is_1_when_nobody_builds_the_report(tmp_path):
    env = worker_env(var_dir=tmp_path / "var", broker_url=generate_report_task.app.conf.broker_url)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "generate_report", "--year=2018", "--format=pdf"]
            + ["--timeout=1", f"--output={tmp_path / 'x.pdf'}"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        # The message waits in the reports queue: do not leave it to another test's worker.
        purge_queue("reports", generate_report_task.app.conf.broker_url)
    assert result.returncode == 1
    assert "vẫn ở trạng thái “Đang chờ” sau 1 giây" in result.stderr
    assert Report.objects.get().state == Report.State.QUEUED


@pytest.mark.django_db(transaction=True)
def test_period_half_builds_the_half_year_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "nua-nam.docx"
    with mock.patch("reports.generation._enqueue", side_effect=run_inline):
        call_command(
            "generate_report", "--year=2018", "--format=docx", "--period=half", f"--output={output}"
        )
    report = Report.objects.get()
    assert report.kind == Report.Kind.HALF_YEAR_PROGRESS
    text = "\n".join(p.text for p in docx.Document(str(output)).paragraphs)
    assert "6 tháng đầu năm 2018" in text


@pytest.mark.django_db(transaction=True)
def test_an_output_folder_gets_the_file_under_its_own_name(tmp_path):
    folder = tmp_path / "bao-cao"
    folder.mkdir()
    with mock.patch("reports.generation._enqueue", side_effect=run_inline):
        call_command("generate_report", "--year=2018", "--format=pdf", f"--output={folder}")
    report = Report.objects.get()
    assert (folder / report.download_name).read_bytes()[:5] == b"%PDF-"


@pytest.mark.django_db(transaction=True)
def test_an_output_in_a_missing_folder_is_refused_before_queuing(tmp_path):
    """A mistyped --output (its folder does not exist) is said, not made into new folders."""
    output = tmp_path / "khong-co" / "x.docx"
    with pytest.raises(CommandError) as error:
        call_command("generate_report", "--year=2018", "--format=docx", f"--output={output}")
    assert f"Không có thư mục {output.parent}" in str(error.value)
    assert not output.parent.exists()
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_output_ending_in_a_slash_is_a_folder(tmp_path, monkeypatch, capsys):
    """`--output out/sub/` (a folder not made yet): the file's own name inside it, not a file
    named `sub`."""
    folder = tmp_path / "out" / "sub"
    with mock.patch("reports.generation._enqueue", side_effect=run_inline):
        call_command("generate_report", "--year=2018", "--format=docx", f"--output={folder}/")
    report = Report.objects.get()
    assert (folder / f"bao-cao-sxsh-2018-{report.pk}.docx").read_bytes()[:2] == b"PK"


@pytest.mark.django_db(transaction=True)
def test_an_output_that_cannot_be_written_is_said_not_a_traceback(tmp_path):
    """The folder exists but the file cannot be opened (here a link to a missing place): the
    command says where and why, and that the report itself was made."""
    output = tmp_path / "bao-cao.docx"
    output.symlink_to(tmp_path / "khong-co" / "x.docx")
    with (
        mock.patch("reports.generation._enqueue", side_effect=run_inline),
        pytest.raises(CommandError) as error,
    ):
        call_command("generate_report", "--year=2018", "--format=docx", f"--output={output}")
    report = Report.objects.get()
    assert report.state == Report.State.SUCCEEDED
    assert f"Không ghi được báo cáo vào {output}" in str(error.value)
    assert f"Báo cáo #{report.pk} đã được tạo" in str(error.value)
