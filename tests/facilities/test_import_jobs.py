"""Big facility imports: the Celery task bodies called directly (facilities/import_jobs.py), the
progress callbacks of plan_file/apply_import, and count_rows."""

import io
import re

import pytest
from django.db import connections, transaction
from openpyxl.utils import get_column_letter

from core.spreadsheets import ImportFileError
from facilities import import_jobs, importing, tasks
from facilities.import_columns import COLUMN_KEYS, count_rows
from facilities.import_jobs import ProgressWriter
from facilities.models import Facility, ImportJob, IndustrialArea

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import AREA, csv_bytes, good_row, make_references, xlsx_bytes
from .import_job_helpers import BAD_ROW, BIG, big_csv, stored_job

State = ImportJob.State


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def reload(job: ImportJob) -> ImportJob:
    job.refresh_from_db()
    return job


def validated_job(settings, staff, content: bytes | None = None) -> ImportJob:
    job = stored_job(settings, content or big_csv(), by=staff)
    assert tasks.validate_import_task(job.pk) == "validated"
    return reload(job)


def confirmed_job(settings, staff, content: bytes | None = None) -> ImportJob:
    job = validated_job(settings, staff, content)
    assert import_jobs.import_job_confirm(job=job, by=staff)
    return reload(job)


# --- count_rows and the progress callbacks -------------------------------------------------------


def test_count_rows_stops_after_the_limit():
    assert count_rows(io.BytesIO(big_csv()), "a.csv", limit=2000) == 2001
    assert count_rows(io.BytesIO(big_csv(7)), "a.csv", limit=2000) == 7
    xlsx = xlsx_bytes([list(good_row(n).values()) for n in range(1, 6)] + [[None] * 3])
    assert count_rows(io.BytesIO(xlsx), "a.xlsx", limit=3) == 4


def test_count_rows_rejects_what_read_table_rejects():
    with pytest.raises(ImportFileError) as caught:
        count_rows(io.BytesIO(csv_bytes([good_row()], [*COLUMN_KEYS, "ghi_chu"])), "a.csv", limit=5)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "ghi_chu")]


def test_plan_and_apply_report_progress(staff):
    checked, written = [], []
    plan = importing.plan_file(
        io.BytesIO(big_csv()), "a.csv", progress=lambda d, t: checked.append((d, t))
    )
    importing.apply_import(plan, user=staff, progress=lambda d, t: written.append((d, t)))
    assert checked[0] == (0, BIG) and checked[-1] == (BIG, BIG)
    assert len(checked) == BIG // importing.PROGRESS_EVERY + 1
    assert [d for d, _t in checked] == sorted(d for d, _t in checked)
    assert written == [(1000, BIG), (2000, BIG), (BIG, BIG)]  # one call per batch
    assert Facility.objects.count() == BIG


def test_progress_callbacks_are_optional(staff):
    plan = importing.plan_file(io.BytesIO(csv_bytes([good_row(1)])), "a.csv")
    assert importing.apply_import(plan, user=staff).created == 1


# --- validation ------------------------------------------------------------------------------


def test_big_valid_file_is_validated_with_counts(settings, staff, enqueued):
    FacilityFactory(tax_code=make_tax_code(1), name="Tên cũ")
    same = good_row(2, vsic_code="1104")
    importing.apply_import(importing.plan_file(io.BytesIO(csv_bytes([same])), "a.csv"), user=staff)

    job = validated_job(settings, staff)

    assert (job.state, job.progress) == (State.VALIDATED, 100)
    assert (job.to_create, job.to_update, job.unchanged) == (BIG - 2, 1, 1)
    assert (job.problems, job.problem_count, job.attempts) == ([], 0, 1)
    assert job.validated_at is not None and job.finished_at is None
    assert job.path.exists()  # kept until the import
    assert Facility.objects.count() == 2  # nothing written by the check


def test_bad_row_2001_makes_the_job_invalid_and_writes_nothing(settings, staff):
    job = stored_job(settings, big_csv(bad_row=BAD_ROW), by=staff)

    assert tasks.validate_import_task(job.pk) == "invalid"

    job = reload(job)
    assert job.state == State.INVALID
    assert job.problem_count == 1
    assert [(p["row"], p["column"]) for p in job.problems] == [(BAD_ROW, "commune_code")]
    assert "99999" in job.problems[0]["message"]
    assert job.finished_at is not None
    assert not job.path.exists()
    assert not Facility.objects.exists()
    assert not import_jobs.import_job_confirm(job=job, by=staff)


def test_problems_are_capped_and_counted(settings, staff):
    job = stored_job(settings, big_csv(contact_email="khong-phai-email"), by=staff)
    tasks.validate_import_task(job.pk)
    job = reload(job)
    assert job.problem_count == importing.MAX_PROBLEMS  # the check stops there
    assert len(job.problems) == ImportJob.MAX_PROBLEMS
    letter = get_column_letter(COLUMN_KEYS.index("contact_email") + 1)
    assert job.problems[0] == {
        "row": 2,
        "column": "contact_email",
        # The header as the file writes it (here the key), after the column's letter.
        "column_label": f"{letter} («contact_email»)",
        "message": "Địa chỉ e-mail không hợp lệ.",
    }


def test_unreadable_file_is_a_problem_of_the_whole_file(settings, staff):
    job = stored_job(settings, b"khong phai excel", by=staff, name="lon.xlsx")
    assert tasks.validate_import_task(job.pk) == "invalid"
    job = reload(job)
    assert job.problems == [
        {
            "row": None,
            "column": None,
            "column_label": "",
            "message": "Tệp không phải là tệp Excel .xlsx hợp lệ.",
        }
    ]


def test_missing_file_makes_the_job_invalid(settings, staff):
    job = stored_job(settings, big_csv(10), by=staff)
    job.path.unlink()
    assert tasks.validate_import_task(job.pk) == "invalid"
    assert "tải tệp lên lại" in reload(job).problems[0]["message"]


def test_progress_is_written_as_rows_are_checked(settings, staff, monkeypatch):
    written = []
    original = ProgressWriter.write
    monkeypatch.setattr(
        ProgressWriter, "write", lambda self, p: (written.append(p), original(self, p))
    )
    job = stored_job(settings, big_csv(), by=staff)
    tasks.validate_import_task(job.pk)
    assert written == sorted(set(written))
    assert written[0] == import_jobs.VALIDATE_SPAN[0] and written[-1] == 99
    assert len(written) >= 5


# --- redelivery, duplicates, crashes ---------------------------------------------------------


def test_a_second_delivery_does_nothing(settings, staff):
    job = validated_job(settings, staff)
    assert tasks.validate_import_task(job.pk) == "skipped"
    assert tasks.run_import_task(job.pk) == "skipped"  # not confirmed
    assert reload(job).state == State.VALIDATED
    assert tasks.validate_import_task(job.pk + 1000) == "skipped"  # deleted


def test_validation_left_by_a_dead_worker_runs_again(settings, staff):
    job = stored_job(settings, big_csv(10), by=staff)
    ImportJob.objects.filter(pk=job.pk).update(state=State.VALIDATING, attempts=1, progress=40)
    assert tasks.validate_import_task(job.pk) == "validated"
    assert reload(job).attempts == 2


def test_a_job_whose_worker_keeps_dying_fails(settings, staff):
    job = stored_job(settings, big_csv(10), by=staff)
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.VALIDATING, attempts=ImportJob.MAX_ATTEMPTS
    )
    assert tasks.validate_import_task(job.pk) == "failed"
    job = reload(job)
    assert job.state == State.FAILED
    assert "3 lần" in job.error
    assert not job.path.exists()


def test_unexpected_error_fails_the_job(settings, staff, monkeypatch, caplog):
    job = confirmed_job(settings, staff)

    def broken(plan, **kwargs):
        raise RuntimeError("hỏng ở /srv/bí-mật")

    monkeypatch.setattr(importing, "apply_import", broken)
    assert tasks.run_import_task(job.pk) == "failed"
    job = reload(job)
    # The job shows a reference id, never the exception; the log has it with the same id.
    [record] = [r for r in caplog.records if r.exc_info and "[ref " in r.getMessage()]
    reference = re.search(r"\[ref ([0-9a-f]{12})\]", record.getMessage()).group(1)
    assert str(record.exc_info[1]) == "hỏng ở /srv/bí-mật"
    assert (job.state, job.error) == (
        State.FAILED,
        f"Lỗi hệ thống, mã tham chiếu: {reference}",
    )
    assert not Facility.objects.exists()
    assert not job.path.exists()


# --- import --------------------------------------------------------------------------------------


def test_confirmed_job_is_imported(settings, staff, official, enqueued):
    job = validated_job(settings, staff)
    enqueued.clear()
    with transaction.atomic():
        assert import_jobs.import_job_confirm(job=job, by=official)
        assert enqueued == []  # only once the confirmation is committed

    job = reload(job)
    assert (job.state, job.progress, job.confirmed_by) == (State.IMPORTING, 0, official)

    assert tasks.run_import_task(job.pk) == "done"

    job = reload(job)
    assert (job.state, job.progress) == (State.DONE, 100)
    assert (job.to_create, job.to_update, job.unchanged) == (BIG, 0, 0)
    assert job.finished_at is not None
    assert not job.path.exists()
    assert Facility.objects.count() == BIG
    facility = Facility.objects.get(tax_code=make_tax_code(BAD_ROW))
    assert facility.search_text  # what bulk_create bypasses was done
    record = facility.history.get()
    assert record.history_user == official
    assert record.history_change_reason == "Nhập từ tệp lon.csv"
    assert tasks.run_import_task(job.pk) == "skipped"  # redelivered after success
    assert Facility.history.count() == BIG


def test_import_checks_the_file_again(settings, staff):
    job = confirmed_job(settings, staff, big_csv(industrial_area=AREA))
    IndustrialArea.objects.filter(name=AREA).delete()

    assert tasks.run_import_task(job.pk) == "invalid"

    job = reload(job)
    assert job.state == State.INVALID
    assert job.problem_count == importing.MAX_PROBLEMS  # every row; the check stops there
    assert job.problems[0]["column"] == "industrial_area"
    assert not Facility.objects.exists()


def test_a_concurrent_change_fails_the_job_and_writes_nothing(settings, staff, monkeypatch):
    job = confirmed_job(settings, staff)
    original = importing.apply_import

    def racing(plan, **kwargs):
        # Someone registers one of the file's tax codes between the check and the write.
        FacilityFactory(tax_code=make_tax_code(BIG))
        return original(plan, **kwargs)

    monkeypatch.setattr(importing, "apply_import", racing)
    assert tasks.run_import_task(job.pk) == "failed"
    job = reload(job)
    assert job.state == State.FAILED
    assert job.error == "Dữ liệu vừa bị thay đổi đồng thời."
    assert Facility.objects.count() == 0


def test_a_job_taken_by_another_run_rolls_back(settings, staff, monkeypatch):
    job = confirmed_job(settings, staff)
    original = importing.apply_import

    def overtaken(plan, **kwargs):
        result = original(plan, **kwargs)
        ImportJob.objects.filter(pk=job.pk).update(state=State.DONE)  # the other run won
        return result

    monkeypatch.setattr(importing, "apply_import", overtaken)
    assert tasks.run_import_task(job.pk) == "skipped"
    assert not Facility.objects.exists()


# --- enqueueing and progress writes --------------------------------------------------------------


def test_validation_is_enqueued_on_commit(
    settings, staff, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = stored_job(settings, big_csv(10), by=staff)
        assert enqueued == []
    assert enqueued == [("validate_import_task", job.pk)]
    assert job.file_path == f"imports/{'b' * 32}.csv"
    assert (job.state, job.kind, job.requested_by) == (State.QUEUED, "facilities", staff)


def test_import_is_enqueued_on_commit(
    settings, staff, enqueued, django_capture_on_commit_callbacks
):
    job = validated_job(settings, staff)
    with django_capture_on_commit_callbacks(execute=True):
        import_jobs.import_job_confirm(job=job, by=staff)
    assert enqueued[-1] == ("run_import_task", job.pk)


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(settings, staff):
    job = stored_job(settings, b"", by=staff)
    ImportJob.objects.filter(pk=job.pk).update(state=State.IMPORTING)
    with ProgressWriter(job.pk, State.IMPORTING) as progress:
        with pytest.raises(RuntimeError), transaction.atomic():
            progress.span(40, 99)(1000, 2500)
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT progress FROM facilities_importjob WHERE id = %s", [job.pk]
                    )
                    assert cursor.fetchone() == (63,)
            finally:
                other.close()
            raise RuntimeError("the import rolls back")
        assert reload(job).progress == 63  # the rollback did not undo it
        ImportJob.objects.filter(pk=job.pk).update(state=State.DONE, progress=100)
        progress(2500, 2500)
    assert reload(job).progress == 100  # a job that has moved on is left alone
