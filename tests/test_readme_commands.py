"""README *Commands*: `generate_report` queues a report "like the web page", whose request form
offers only the years of the plan periods up to this year. Any other year is refused with exit
status 1 and nothing is queued (it used to build an empty document for, say, 1990)."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments.models import PlanPeriod
from reports.models import Report

from .celery_helpers import BASE_DIR, worker_env


@pytest.mark.django_db
def test_a_year_outside_every_plan_period_is_refused():
    # The migrations seed the 2016–2020 plan only; 1990 is in no period.
    assert not PlanPeriod.objects.covering(1990).exists()
    with pytest.raises(CommandError, match="Năm 1990 không thuộc kỳ kế hoạch"):
        call_command("generate_report", "--year=1990", "--format=xlsx", "--timeout=0.1")
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_plan_year_after_this_year_is_refused():
    next_year = timezone.localdate().year + 1
    PlanPeriod.objects.create(
        code="TEST-NEXT", name="Kế hoạch thử", start_year=next_year - 1, end_year=next_year
    )
    with pytest.raises(CommandError, match=f"Năm {next_year} không thuộc"):
        call_command("generate_report", f"--year={next_year}", "--format=pdf", "--timeout=0.1")
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_exit_status_is_1_for_a_year_outside_the_plan(tmp_path):
    env = worker_env(var_dir=tmp_path / "var", broker_url=None)
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_report", "--year=1990", "--format=pdf"]
        + ["--timeout=1", f"--output={tmp_path / 'x.pdf'}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Năm 1990 không thuộc kỳ kế hoạch" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert not Report.objects.exists()
