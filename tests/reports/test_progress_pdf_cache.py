"""The facility's one-page progress summary (reports:facility_progress_pdf) is rendered once per
content and served from the cache after (reports.progress_pdf): a looping client no longer holds
the web workers with a WeasyPrint render per request, and a user renders one at a time (429 while
their render runs). A change of what the PDF says gives a new PDF. Transactional: the cache only
serves committed data."""

import io
import unicodedata
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import GridEmissionFactor
from reports.files import progress_pdf as pdf_file

from ..factories import AssessmentFactory, OptionFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "Bản PDF đang được tạo, vui lòng thử lại sau ít giây."


def pdf_url(facility):
    return reverse("reports:facility_progress_pdf", args=[facility.pk])


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return unicodedata.normalize("NFC", text)


class Renders:
    """Counts the real renders (reports/files/progress_pdf.py) and calls through; `meanwhile`,
    when set, runs once in the middle of the next render."""

    def __init__(self):
        self.count = 0
        self.meanwhile = None
        self.real = pdf_file.progress_pdf

    def __call__(self, progress, day=None):
        self.count += 1
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return self.real(progress, day)


@pytest.fixture
def renders(monkeypatch):
    counter = Renders()
    monkeypatch.setattr(pdf_file, "progress_pdf", counter)
    return counter


@pytest.fixture
def approved(facility):
    """2016 the baseline, 2017 approved with a 5,0 % fall (coal only, 0.60 TOE/t)."""
    report(facility, 2016, coal_t=Decimal(100))
    report(facility, 2017, coal_t=Decimal(95))
    return facility


def test_the_second_request_is_served_without_rendering_again(
    client, facility_user, approved, renders
):
    client.force_login(facility_user)

    first = client.get(pdf_url(approved))
    second = client.get(pdf_url(approved))

    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert second.content == first.content
    assert "5,0 %" in pdf_text(second.content)
    assert renders.count == 1


def test_a_second_request_of_the_same_user_during_a_render_gets_429(
    client, facility_user, staff, approved, renders
):
    client.force_login(facility_user)
    same_user, other_user = Client(), Client()
    same_user.force_login(facility_user)  # another tab or thread of the same login
    other_user.force_login(staff)
    seen = {}

    def meanwhile():
        seen["same"] = same_user.get(pdf_url(approved))
        seen["other"] = other_user.get(pdf_url(approved))

    renders.meanwhile = meanwhile
    response = client.get(pdf_url(approved))

    assert response.status_code == 200
    busy = seen["same"]
    assert busy.status_code == 429
    assert int(busy["Retry-After"]) > 0
    assert BUSY in busy.text
    assert seen["other"].status_code == 200  # another user is not held back
    assert seen["other"]["Content-Type"] == "application/pdf"
    # The lock went with the render: the same user is served again.
    again = same_user.get(pdf_url(approved))
    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"


def test_a_failed_render_releases_the_lock(client, facility_user, approved, renders):
    client.force_login(facility_user)
    client.raise_request_exception = False

    def fail():
        raise RuntimeError("the render failed")

    renders.meanwhile = fail
    assert client.get(pdf_url(approved)).status_code == 500

    assert client.get(pdf_url(approved)).status_code == 200
    assert renders.count == 2


def test_approving_or_altering_a_report_gives_a_new_pdf(client, facility_user, approved, renders):
    client.force_login(facility_user)
    before = pdf_text(client.get(pdf_url(approved)).content)
    assert "2018" not in before

    draft = report(approved, 2018, coal_t=Decimal(88), state="draft")
    assert client.get(pdf_url(approved)).content  # a draft changes nothing
    assert renders.count == 1

    draft.state = "approved"
    draft.save()
    approved_now = pdf_text(client.get(pdf_url(approved)).content)
    assert "2018" in approved_now and "12,0 %" in approved_now  # (100 − 88) ÷ 100

    draft.coal_t = Decimal(90)
    draft.save()
    altered = pdf_text(client.get(pdf_url(approved)).content)
    assert "10,0 %" in altered and "12,0 %" not in altered  # (100 − 90) ÷ 100
    assert renders.count == 3


def test_a_new_grid_factor_gives_a_new_pdf(client, facility_user, approved, renders):
    """The grid factors are not in the data version: the key holds them."""
    assessment = AssessmentFactory(facility=approved, state="approved")
    OptionFactory(
        assessment=assessment, implementation_year=2017, electricity_saving_kwh=Decimal(100_000)
    )
    factor, _created = GridEmissionFactor.objects.update_or_create(
        year=2017, defaults={"t_co2_per_mwh": Decimal("0.9000"), "source": "test"}
    )
    client.force_login(facility_user)
    assert "90,0" in pdf_text(client.get(pdf_url(approved)).content)  # 100 MWh × 0.9

    factor.t_co2_per_mwh = Decimal("0.5000")
    factor.save()
    text = pdf_text(client.get(pdf_url(approved)).content)

    assert "50,0" in text and "90,0" not in text  # 100 MWh × 0.5
    assert renders.count == 2


def test_the_next_day_and_another_language_give_a_new_pdf(
    client, facility_user, approved, renders, monkeypatch
):
    client.force_login(facility_user)
    client.get(pdf_url(approved))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return real_localdate(value, timezone) if value is not None else tomorrow

    monkeypatch.setattr(timezone, "localdate", localdate)
    text = pdf_text(client.get(pdf_url(approved)).content)
    assert tomorrow.strftime("%d/%m/%Y") in text
    assert renders.count == 2

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(pdf_url(approved))
    assert renders.count == 3


def test_another_facility_stays_hidden_when_its_pdf_is_cached(
    client, facility_user, staff, approved, other_facility, renders
):
    report(other_facility, 2016)
    client.force_login(staff)
    assert client.get(pdf_url(other_facility)).status_code == 200  # now in the cache

    client.force_login(facility_user)

    assert client.get(pdf_url(other_facility)).status_code == 404
    assert client.get(pdf_url(approved)).status_code == 200
    assert renders.count == 2
