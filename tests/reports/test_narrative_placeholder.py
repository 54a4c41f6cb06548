"""An empty narrative section of a document says who completes it: a province's Department
(its staff write the narrative on the portal), or, in the national document of a national
installation, the Ministry (Bộ Công Thương) — which edits nothing on the portal, so the
document must not ask Department staff to fill it in (DESIGN §2)."""

from io import BytesIO
from unittest import mock

import docx
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


def built_text(client, user, file_format: str) -> str:
    """`user` requests the year's document on the request page; it is built here and
    downloaded; its text."""
    client.force_login(user)
    response = client.post(
        reverse("reports:request"),
        {"kind": "annual_progress", "year": YEAR, "format": file_format},
    )
    assert response.status_code == 302
    built = Report.objects.get(requested_by=user, format=file_format)
    assert generation.report_generate(report_id=built.pk) == Outcome.SUCCEEDED, built.error
    download = client.get(reverse("reports:download", args=[built.pk]))
    assert download.status_code == 200
    data = BytesIO(b"".join(download.streaming_content))
    if file_format == "docx":
        text = " ".join(paragraph.text for paragraph in docx.Document(data).paragraphs)
    else:
        text = " ".join(page.extract_text() for page in PdfReader(data).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
@pytest.mark.django_db(transaction=True)  # the indicator cache serves committed data only
def test_the_national_document_leaves_its_narrative_to_the_ministry(
    client, settings, no_enqueue, file_format
):
    settings.PORTAL_SCOPE = "national"
    report(facility(), YEAR, aware=True)
    ministry = UserFactory(username="bo_cong_thuong", role=Role.MINISTRY)

    text = built_text(client, ministry, file_format)

    assert text.count(MINISTRY) == 3  # shortcomings, direction, recommendations
    assert DEPARTMENT not in text


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
@pytest.mark.django_db(transaction=True)
def test_a_departments_document_leaves_its_narrative_to_its_staff(
    client, staff, no_enqueue, file_format
):
    report(facility(), YEAR, aware=True)

    text = built_text(client, staff, file_format)

    assert text.count(DEPARTMENT) == 3
    assert MINISTRY not in text
