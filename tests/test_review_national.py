"""Exploratory review of a national installation (PORTAL_SCOPE=national), as the Ministry reads it
in English: the portal writes numbers the Vietnamese way in both languages (DESIGN §5: 60,7 %;
1.234.567), so the Ministry's tables by province and a generated document's size must not switch
to English separators on an English page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from reports.models import Report

from .assessments.national_helpers import BAC_NINH, HAI_PHONG, two_province_facilities
from .factories import UserFactory
from .reports.indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(settings):
    settings.PORTAL_SCOPE = "national"
    return UserFactory(username="bo_ct", role=Role.MINISTRY)


def _english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def _row(page: str, table: str, marker: str) -> str:
    """The HTML of the row of table `table` (its id) that starts with `marker`."""
    start = page.index(marker, page.index(f'id="{table}"'))
    return page[start : page.index("</tr>", start)]


def test_ministry_tables_by_province_use_vietnamese_notation_in_english(client, ministry):
    bac_ninh, hai_phong = two_province_facilities()
    assert (bac_ninh.province, hai_phong.province) == (BAC_NINH, HAI_PHONG)
    # Bắc Ninh: 1 of 3 operating facilities aware, 1 of 3 at high pollution risk and aware.
    report(bac_ninh, YEAR, aware=True)
    for _ in range(2):
        report(facility(high_pollution_risk=True), YEAR)
    report(hai_phong, YEAR)
    _english(client, ministry)

    page = client.get(reverse("reports:dashboard"), {"year": YEAR, "group": "province"}).text

    province_row = _row(page, "group-table", f'data-key="{BAC_NINH}"')
    aware = round(100 * 1 / 3, 1)  # the share the row must show, written both ways below
    assert f"{aware:.1f}".replace(".", ",") in province_row
    assert f"{aware:.1f}" not in province_row
    risk_row = _row(page, "priority-groups", 'data-grouping="high_pollution_risk"')
    assert "0,0" in risk_row and "0.0" not in risk_row


def test_national_document_size_in_vietnamese_notation_in_english(client, ministry):
    document = Report.objects.create(
        year=YEAR,
        format=Report.Format.PDF,
        state=Report.State.SUCCEEDED,
        progress=100,
        requested_by=ministry,
        sha256="0" * 64,
    )
    body = b"%PDF-1.7 " + b"x" * (124 * 1024 + 400)
    document.file.save(f"bao-cao-sxsh-{YEAR}-{document.pk}.pdf", ContentFile(body))
    document.size_bytes = len(body)
    document.save()
    _english(client, ministry)

    page = client.get(reverse("reports:detail", args=[document.pk])).text

    kilobytes = len(body) / 1024
    assert f"{kilobytes:.1f} KB".replace(".", ",") in page
    assert f"{kilobytes:.1f} KB" not in page
