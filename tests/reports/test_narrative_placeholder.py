"""An empty narrative section of a document says who completes it: a province's Department
(its staff write the narrative on the portal), or, in the national document of a national
installation, the Ministry (Bộ Công Thương) — which edits nothing on the portal, so the
document must not ask Department staff to fill it in (DESIGN §2)."""

from io import BytesIO
from unittest import mock

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from reports import generation
from reports.generation import Outcome
from reports.models import Report

from ..factories import UserFactory
from .indicator_helpers import YEAR, facility, report

DEPARTMENT = "[Cán bộ Sở bổ sung nội dung trước khi ban hành.]"
MINISTRY = "[Bộ Công Thương bổ sung nội dung trước khi ban hành.]"


@pytest.fixture
def no_enqueue():
    with mock.patch.object(generation, "_enqueue"):
        yield


def built_pdf_text(client, user) -> str:
    """`user` requests the year's PDF on the request page; it is built here and downloaded."""
    client.force_login(user)
    response = client.post(
        reverse("reports:request"), {"kind": "annual_progress", "year": YEAR, "format": "pdf"}
    )
    assert response.status_code == 302
    built = Report.objects.get(requested_by=user, format="pdf")
    assert generation.report_generate(report_id=built.pk) == Outcome.SUCCEEDED, built.error
    download = client.get(reverse("reports:download", args=[built.pk]))
    assert download.status_code == 200
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.django_db(transaction=True)  # the indicator cache serves committed data only
def test_the_national_document_leaves_its_narrative_to_the_ministry(client, settings, no_enqueue):
    settings.PORTAL_SCOPE = "national"
    report(facility(), YEAR, aware=True)
    ministry = UserFactory(username="bo_cong_thuong", role=Role.MINISTRY)

    text = built_pdf_text(client, ministry)

    assert text.count(MINISTRY) == 3  # shortcomings, direction, recommendations
    assert DEPARTMENT not in text


@pytest.mark.django_db(transaction=True)
def test_a_departments_document_leaves_its_narrative_to_its_staff(client, staff, no_enqueue):
    report(facility(), YEAR, aware=True)

    text = built_pdf_text(client, staff)

    assert text.count(DEPARTMENT) == 3
    assert MINISTRY not in text
