"""The data-quality rules over every stored annual report, on demand (issue 14): staff queue a
`QualityRun` from the findings page, Celery runs it (tasks.run_quality_checks_task) batch by
batch, each batch committed with its findings and the run's progress, so the page's bar moves.

    quality_run_create(by=user) -> run   # queued; the task is sent when the transaction commits
    quality_run_execute(run_id) -> state # the task's body

A run is claimed with a conditional UPDATE (queued -> running), so a duplicate delivery does
nothing; at most one run is queued or running at a time (a second request returns it). Its
error is written in the language of the staff member who started it (the findings themselves are
written at view time in the reader's, assessments.quality).
"""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.language import in_language_of
from core.errors import log_exception, system_error_message

from . import quality
from . import quality_rules as codes
from .factors import toe_factors
from .models import AnnualReport, QualityRule, QualityRun

logger = logging.getLogger(__name__)

BATCH = 500  # reports checked (and their findings written) per transaction
State = QualityRun.State


def quality_run_create(*, by) -> QualityRun:
    """A queued run (or the one already queued or running); its task is sent on commit."""
    with transaction.atomic():
        active = (
            QualityRun.objects.select_for_update()
            .filter(state__in=(State.QUEUED, State.RUNNING))
            .first()
        )
        if active:
            return active
        run = QualityRun.objects.create(requested_by=by)
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from . import tasks

    tasks.run_quality_checks_task.delay(run_id)


def quality_run_execute(run_id: int) -> str:
    """Check every annual report against the enabled rules and refresh their findings."""
    run = QualityRun.objects.select_related("requested_by").filter(pk=run_id).first()
    with in_language_of(run.requested_by if run is not None else None):
        return _execute(run_id)


def _execute(run_id: int) -> str:
    claimed = QualityRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, progress=0
    )
    if not claimed:
        return "skipped"
    try:
        _check_all(run_id)
    except Exception:
        reference = log_exception(logger, "quality run %s failed", run_id)
        QualityRun.objects.filter(pk=run_id).update(
            state=State.FAILED, error=system_error_message(reference), finished_at=timezone.now()
        )
        return State.FAILED
    return State.DONE


def _check_all(run_id: int) -> None:
    def progress(done: int, total: int, found: int) -> None:
        QualityRun.objects.filter(pk=run_id).update(
            checked=done, findings=found, progress=min(99, done * 100 // total)
        )

    checked, found = check_all_reports(progress)
    QualityRun.objects.filter(pk=run_id).update(
        state=State.DONE, progress=100, checked=checked, findings=found, finished_at=timezone.now()
    )


def check_all_reports(progress=None) -> tuple[int, int]:
    """Check every annual report against the enabled rules and refresh their open findings, in
    batches (`progress(done, total, found)` after each); returns (reports checked, findings).
    The staff's "check all data again" run, and the demo seed once it has written its reports."""
    ids = list(AnnualReport.objects.order_by("pk").values_list("pk", flat=True))
    rules = {r.code: r for r in QualityRule.objects.filter(enabled=True)}
    toe = toe_factors()
    bands = {}
    if codes.INTENSITY_OUT_OF_BAND in rules:
        years = AnnualReport.objects.order_by().values_list("year", flat=True).distinct()
        bands = quality.load_bands(set(years), rules[codes.INTENSITY_OUT_OF_BAND], toe)
    found = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        reports = list(AnnualReport.objects.filter(pk__in=chunk))
        results = quality.check_reports(reports, rules=rules, toe=toe, bands=bands)
        with transaction.atomic():
            found += quality.store_findings(
                {r.pk: findings for r, findings in zip(reports, results, strict=True)}
            )
            if progress is not None:
                progress(start + len(chunk), len(ids), found)
    return len(ids), found
