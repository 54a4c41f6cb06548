"""Issue 17 point 3: a facility's own progress page (reports:facility_progress) and its one-page
PDF summary (reports:facility_progress_pdf). Expected figures are worked out by hand from the
reports below (coal only, 0.60 TOE/t, output 1000 tấn)."""

import io
import json
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.progress import facility_progress

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db

PEER_NAME = "Công ty Đối thủ Cùng Ngành"


def url(facility):
    return reverse("reports:facility_progress", args=[facility.pk])


def pdf_url(facility):
    return reverse("reports:facility_progress_pdf", args=[facility.pk])


@pytest.fixture
def progress_data(facility):
    """The facility: 2016 baseline 0.06 TOE/tấn, 2017 0.057 (−5,0%), 2018 0.0528 (−12,0%), a
    2019 draft that must not count; nine peers of its division and unit in 2018 (so 10 with
    it), five of them with a higher intensity: score 100 × 5 ÷ 9 = 55,6 → 56."""
    report(facility, 2016, coal_t=Decimal(100))
    report(facility, 2017, coal_t=Decimal(95))
    report(facility, 2018, coal_t=Decimal(88))
    report(facility, 2019, coal_t=Decimal(10), state="draft")
    for n, coal in enumerate((50, 60, 70, 80, 90, 100, 110, 120, 130)):
        peer = FacilityFactory(name=f"{PEER_NAME} {n}", industry=facility.industry)
        report(peer, 2018, coal_t=Decimal(coal))
    approved = AssessmentFactory(facility=facility, state="approved")
    # 100 000 kWh × 0.0001543 TOE/kWh = 15,43 TOE; 100 MWh × 0.9130 tCO₂/MWh (2018) = 91,3 tCO₂.
    OptionFactory(
        assessment=approved,
        description="Thay động cơ quạt lò bằng biến tần",
        status="done",
        implementation_year=2018,
        investment_vnd=120_000_000,
        annual_saving_vnd=60_000_000,
        electricity_saving_kwh=Decimal(100_000),
    )
    OptionFactory(
        assessment=approved,
        description="Thu hồi nhiệt khói thải",
        status="planned",
        implementation_year=None,
        investment_vnd=900_000_000,
        annual_saving_vnd=300_000_000,
    )
    draft = AssessmentFactory(facility=facility, state="draft")
    OptionFactory(assessment=draft, description="Lắp đồng hồ nước từng xưởng", status="done")
    return facility


def chart_data(page: str) -> dict:
    start = page.index('<script id="progress-data" type="application/json">')
    return json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])


# --- the service -----------------------------------------------------------------------------


def test_years_falls_and_scores(progress_data):
    progress = facility_progress(progress_data)

    assert [row.year for row in progress.years] == [2016, 2017, 2018]
    assert progress.baseline_year == 2016
    assert [row.fall_pct for row in progress.years] == [None, Decimal("5.0"), Decimal("12.0")]
    assert [row.reaches_target for row in progress.years] == [None, False, True]
    assert [row.score for row in progress.years] == [None, None, 56]
    assert progress.years[-1].benchmark.peers == 10
    assert progress.target_pct == 8


def test_only_done_options_of_approved_assessments_count(progress_data):
    progress = facility_progress(progress_data)

    assert len(progress.options) == 3
    assert [e.option.description for e in progress.done_options] == [
        "Thay động cơ quạt lò bằng biến tần"
    ]
    assert progress.saving_vnd == 60_000_000
    assert progress.investment_vnd == 120_000_000
    assert progress.toe_saved == Decimal("15.43")
    assert progress.tco2_avoided == Decimal("91.3")


def test_no_fall_when_the_unit_changes(facility):
    report(facility, 2016)
    report(facility, 2017, coal_t=Decimal(50), product_unit="m3")
    assert [row.fall_pct for row in facility_progress(facility).years] == [None, None]


# --- the page --------------------------------------------------------------------------------


def test_it_works(client, facility_user, progress_data):
    client.force_login(facility_user)

    response = client.get(url(progress_data))

    assert response.status_code == 200
    page = response.text
    assert chart_data(page) == {
        "years": [2016, 2017, 2018],
        "intensity": [0.06, 0.057, 0.0528],
        "fall": [None, 5.0, 12.0],
        "score": [None, None, 56],
        "target": 8.0,
    }
    assert '<span class="display-6" id="progress-score">56</span>' in page
    assert '<td class="text-end progress-fall">12,0</td>' in page
    assert '<td class="text-end progress-fall">5,0</td>' in page
    assert '<td class="text-end">0,052800</td>' in page
    assert "Thu hồi nhiệt khói thải" in page  # listed, with its status
    assert "Dự kiến" in page
    # Totals of the one done option of the approved assessment.
    total = page[page.index('id="progress-options-total"') :].split("</tr>", 1)[0]
    assert "120,0 triệu đồng" in total and "60,0 triệu đồng" in total
    assert "15,43" in total and "91,3" in total
    assert reverse("reports:facility_progress_pdf", args=[progress_data.pk]) in page
    assert "js/facility-progress.js" in page
    assert PEER_NAME not in page


def test_it_shows_the_sectors_library_examples(client, facility_user, progress_data):
    peer = FacilityFactory(name=f"{PEER_NAME} có giải pháp", industry=progress_data.industry)
    OptionFactory(
        assessment=AssessmentFactory(facility=peer, state="approved"),
        description="Bảo ôn nồi nấu bằng bông khoáng",
        status="done",
    )
    client.force_login(facility_user)

    page = client.get(url(progress_data)).text

    examples = page[page.index('id="sector-example-table"') :]
    assert "Bảo ôn nồi nấu bằng bông khoáng" in examples
    assert PEER_NAME not in page


def test_staff_and_officials_see_any_facility(client, staff, official, progress_data):
    for user in (staff, official):
        client.force_login(user)
        response = client.get(url(progress_data))
        assert response.status_code == 200
        assert progress_data.name in response.text


def test_without_approved_reports_there_is_no_pdf_button(client, facility_user, facility):
    report(facility, 2018, state="submitted")
    client.force_login(facility_user)

    page = client.get(url(facility)).text

    assert 'id="progress-empty"' in page
    assert pdf_url(facility) not in page


def test_the_facility_page_links_to_it(client, facility_user, facility):
    client.force_login(facility_user)
    page = client.get(reverse("facilities:detail", args=[facility.pk])).text
    assert url(facility) in page


def test_it_requires_login(client, facility):
    for target in (url(facility), pdf_url(facility)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, facility_user, other_facility):
    report(other_facility, 2018)
    client.force_login(facility_user)
    assert client.get(url(other_facility)).status_code == 404
    assert client.get(pdf_url(other_facility)).status_code == 404


def test_it_rejects_a_missing_facility(client, staff):
    client.force_login(staff)
    assert client.get(reverse("reports:facility_progress", args=[999_999])).status_code == 404


def test_page_query_count_does_not_grow_with_options(
    client, facility_user, progress_data, django_assert_max_num_queries
):
    for n in range(20):
        OptionFactory(
            assessment=AssessmentFactory(facility=progress_data, state="approved"),
            description=f"Giải pháp thêm {n}",
        )
    client.force_login(facility_user)
    with django_assert_max_num_queries(24):  # 21 with the session: two per year for scores
        assert client.get(url(progress_data)).status_code == 200


# --- the PDF ---------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return unicodedata.normalize("NFC", text)


def test_the_pdf_summary(client, facility_user, progress_data):
    client.force_login(facility_user)

    response = client.get(pdf_url(progress_data))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert "Kết quả thực hiện SXSH của cơ sở" in text
    assert progress_data.name in text
    assert progress_data.tax_code in text
    assert progress_data.address in text
    assert "Sản xuất, chế biến thực phẩm" in text  # the sector
    assert "0,052800" in text  # 2018 intensity
    assert "12,0 %" in text and "5,0 %" in text
    assert "56" in text
    assert "thuộc nhóm hiệu quả hơn một nửa số cơ sở cùng ngành" in text
    # The done option of the approved assessment, in đồng with Vietnamese separators.
    assert "Thay động cơ quạt lò bằng biến tần" in text
    assert "120.000.000" in text and "60.000.000" in text and "15,43" in text
    assert "Thu hồi nhiệt khói thải" not in text  # planned, not done
    assert "Lắp đồng hồ nước từng xưởng" not in text  # assessment not approved
    assert "Ngày lập:" in text
    assert PEER_NAME not in text


def test_the_pdf_needs_an_approved_report(client, facility_user, facility):
    report(facility, 2018, state="submitted")
    client.force_login(facility_user)

    response = client.get(pdf_url(facility))

    assert response.status_code == 404
    assert "chưa có báo cáo năm nào được Sở Công Thương duyệt" in response.text


@pytest.mark.django_db
def test_an_option_of_a_year_without_a_grid_factor_has_no_tco2(
    client, facility_user, progress_data
):
    # The seeded grid factors stop at 2023: a 2024 option's electricity has no tCO₂ figure (the
    # factor of its own year only), and the total, shown without a note, is then no figure
    # either ("—") rather than the 2018 option's alone or one using 2023's factor.
    from assessments.models import GridEmissionFactor

    assert not GridEmissionFactor.objects.filter(year=2024).exists()
    approved = AssessmentFactory(facility=progress_data, state="approved")
    OptionFactory(
        assessment=approved,
        status="done",
        implementation_year=2024,
        electricity_saving_kwh=Decimal(100_000),
    )
    progress = facility_progress(progress_data)
    assert [effect.tco2 for effect in progress.done_options] == [Decimal("91.3"), None]
    assert progress.tco2_avoided is None
    client.force_login(facility_user)
    assert client.get(url(progress_data)).status_code == 200
    assert client.get(pdf_url(progress_data)).status_code == 200


@pytest.mark.django_db
def test_an_option_stored_for_a_year_the_facility_was_closed_does_not_count(progress_data):
    # Option.clean refuses it now; one stored before (or by a bulk write) is left out, as the
    # province's physical results leave it out.
    from assessments.models import Option

    progress_data.status, progress_data.closed_year = "closed", 2018
    progress_data.save()
    approved = AssessmentFactory(facility=progress_data, state="approved")
    late = OptionFactory.build(
        assessment=approved, status="done", implementation_year=2019, annual_saving_vnd=5
    )
    Option.objects.bulk_create([late])
    progress = facility_progress(progress_data)
    assert late.description not in [e.option.description for e in progress.done_options]
    assert progress.saving_vnd == 60_000_000
