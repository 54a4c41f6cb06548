"""The DOCX breakdown tables give each share with the counts it is made of, "value (n/m)", as the
PDF does: of the operating facilities of a district, how many are aware of cleaner production."""

from io import BytesIO

import pytest
from docx import Document

from reports import generation
from reports.models import Report

from ..factories import CommuneFactory, UserFactory
from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

AWARE_HEAD = "Nhận thức SXSH (%)"


def _docx() -> Document:
    request = Report.objects.create(
        kind=Report.Kind.ANNUAL_PROGRESS, year=YEAR, format="docx", requested_by=UserFactory()
    )
    assert generation.report_generate(report_id=request.pk) == generation.Outcome.SUCCEEDED
    request.refresh_from_db()
    with request.file.open("rb") as handle:
        return Document(BytesIO(handle.read()))


def test_a_share_in_a_breakdown_reads_its_value_and_counts():
    commune = CommuneFactory(parent__name="Huyện Quế Võ")
    aware, unaware = facility(commune=commune), facility(commune=commune)
    report(aware, YEAR, aware=True)
    report(unaware, YEAR, aware=False)
    [table] = [
        table
        for table in _docx().tables
        if [cell.text for cell in table.rows[0].cells][1:2] == ["Huyện"]
    ]
    heads = [cell.text for cell in table.rows[0].cells]
    rows = {row.cells[1].text: row.cells for row in table.rows[1:]}
    assert rows["Huyện Quế Võ"][2].text == "2"
    assert rows["Huyện Quế Võ"][heads.index(AWARE_HEAD)].text == "50,0 (1/2)"
