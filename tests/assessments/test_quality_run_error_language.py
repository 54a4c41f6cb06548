"""A run of the data-quality rules that fails stores its error for the findings page: written
in the language of the staff member who started it, whatever language the worker runs in."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from assessments import quality_jobs
from assessments.models import QualityRun

pytestmark = pytest.mark.django_db

ERROR = {"en": "System error, reference: ", "vi": "Lỗi hệ thống, mã tham chiếu: "}
OTHER = {"en": "vi", "vi": "en"}


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_failed_run_is_shown_in_the_language_of_who_started_it(
    client, staff, language, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=staff.pk).update(language=language)
    client.force_login(staff)
    with django_capture_on_commit_callbacks():
        client.post(reverse("assessments:quality_run_start"))
    run = QualityRun.objects.get()

    broken = mock.patch.object(quality_jobs, "check_all_reports", side_effect=RuntimeError("x"))
    with broken, translation.override(OTHER[language]):
        assert quality_jobs.quality_run_execute(run.pk) == QualityRun.State.FAILED

    page = client.get(reverse("assessments:quality_findings")).text
    assert ERROR[language] in page
    assert ERROR[OTHER[language]] not in page
