"""Issue 17 point 4: the staff's benchmark tables (reports:sector_scores) and their XLSX export
(reports:sector_scores_export). Expected values worked out by hand below."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.sector_scores import band_counts, quartile, sector_scores

from ..factories import FacilityFactory, IndustryCodeFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db

YEAR = 2018
PAGE = reverse("reports:sector_scores")
EXPORT = reverse("reports:sector_scores_export")


@pytest.fixture
def scored(staff):
    """Ten facilities of VSIC 23 in tấn with coal 10, 20 … 100 t for 1000 tấn: the one with
    coal 10k has 10 − k facilities above it, score 100 × (10 − k) ÷ 9 rounded half up, i.e.
    100, 89, 78, 67, 56, 44, 33, 22, 11, 0. High pollution risk: coal 80 (22), coal 100 (0) and
    coal 40 (67, not in the bottom quartile). Three facilities of VSIC 10 in m3 (no score), one
    of them at risk; a 2017 report that must not count."""
    division = IndustryCodeFactory(code="23", name="Sản xuất sản phẩm từ khoáng phi kim loại khác")
    made = {}
    for k in range(1, 11):
        name = f"Công ty Gạch số {k}"
        if k == 10:
            name = "=Công ty Gạch số 10"  # a spreadsheet would take it for a formula
        facility = FacilityFactory(
            name=name, industry=division, high_pollution_risk=k in (4, 8, 10)
        )
        report(facility, YEAR, coal_t=Decimal(10 * k))
        made[k] = facility
    food = IndustryCodeFactory(code="10")
    for n in range(3):
        facility = FacilityFactory(
            name=f"Công ty Thực phẩm {n}", industry=food, high_pollution_risk=n == 0
        )
        report(facility, YEAR, product_unit="m3")
    report(FacilityFactory(industry=division), YEAR - 1)
    return made


def test_quartiles_interpolate_like_quartile_inc():
    scores = [0, 11, 22, 33, 44, 56, 67, 78, 89, 100]
    # Positions 2.25, 4.5 and 6.75 of the sorted list (0-based).
    assert quartile(scores, 1) == Decimal("24.75")
    assert quartile(scores, 2) == Decimal("50")
    assert quartile(scores, 3) == Decimal("75.25")
    assert quartile([7, 9], 2) == Decimal(8)


def test_band_counts_follow_the_bands():
    # Bands: 75–100, 50–74, 25–49, 0–24.
    assert band_counts([100, 75, 74, 50, 49, 25, 24, 0]) == (2, 2, 2, 2)


def test_distribution_and_target_list(scored, staff):
    result = sector_scores(YEAR, staff)

    (group,) = result.groups
    assert (group.division, group.unit, group.facilities) == ("23", "tấn", 10)
    assert (group.minimum, group.maximum) == (0, 100)
    assert (group.q1, group.median, group.q3) == (Decimal("24.75"), 50, Decimal("75.25"))
    assert group.bands == (3, 2, 2, 3)
    assert group.division_name == "Sản xuất sản phẩm từ khoáng phi kim loại khác"
    assert (result.unscored_groups, result.unscored_facilities) == (1, 3)
    # Worst first: coal 100 t (score 0), then coal 80 t (score 22).
    assert [(t.facility.pk, t.score, t.peers) for t in result.targets] == [
        (scored[10].pk, 0, 10),
        (scored[8].pk, 22, 10),
    ]


def test_it_works(client, staff, scored):
    client.force_login(staff)

    response = client.get(PAGE, {"year": YEAR})

    assert response.status_code == 200
    page = response.text
    row = page[page.index('data-division="23"') :].split("</tr>", 1)[0]
    cells = [part.split("</td>", 1)[0] for part in row.split('<td class="text-end">')[1:]]
    assert cells == ["10", "0", "24,75", "50", "75,25", "100", "3", "2", "2", "3"]
    targets = page[page.index('id="score-targets"') :]
    assert "Công ty Gạch số 8" in targets and "=Công ty Gạch số 10" in targets
    assert "Công ty Gạch số 4" not in targets  # at risk but scoring 67
    assert "Công ty Thực phẩm 0" not in page  # at risk but without a score
    assert "1 nhóm (3 cơ sở) có dưới 10 cơ sở" in page
    assert f"{EXPORT}?year={YEAR}" in page


def test_the_latest_year_by_default(client, official, scored):
    client.force_login(official)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert f"năm {YEAR}" in response.text


def test_it_requires_staff_or_official(client, facility_user, scored):
    client.force_login(facility_user)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT, {"year": YEAR}).status_code == 403


def test_it_requires_login(client, db):
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_rejects_bad_input(client, staff, scored):
    client.force_login(staff)
    for year in ("1990", "abc"):
        assert client.get(PAGE, {"year": year}).status_code == 400
        assert client.get(EXPORT, {"year": year}).status_code == 400


def test_without_approved_reports(client, staff):
    client.force_login(staff)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Chưa có báo cáo năm nào được duyệt." in response.text
    assert client.get(EXPORT).status_code == 404


def test_query_count_does_not_grow_with_facilities(
    client, staff, scored, django_assert_max_num_queries
):
    division = scored[1].industry
    for k in range(30):
        facility = FacilityFactory(industry=division, high_pollution_risk=True)
        report(facility, YEAR, coal_t=Decimal(200 + k))
    client.force_login(staff)
    with django_assert_max_num_queries(13):
        assert client.get(PAGE, {"year": YEAR}).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(EXPORT, {"year": YEAR}).status_code == 200


def test_the_export(client, staff, scored):
    client.force_login(staff)

    response = client.get(EXPORT, {"year": YEAR})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["PhanBoDiem", "DanhSachDanhGia"]
    rows = list(workbook["PhanBoDiem"].iter_rows(values_only=True))
    assert rows[0][:11] == (
        "Năm",
        "Mã ngành (VSIC cấp 2)",
        "Tên ngành",
        "Ngành ưu tiên",
        "Đơn vị sản phẩm",
        "Số cơ sở",
        "Điểm thấp nhất",
        "Tứ phân vị thứ nhất",
        "Trung vị",
        "Tứ phân vị thứ ba",
        "Điểm cao nhất",
    )
    assert rows[1][0:2] == (YEAR, "23")
    assert rows[1][4:] == ("tấn", 10, 0, 24.75, 50, 75.25, 100, 3, 2, 2, 3)
    sheet = workbook["PhanBoDiem"]
    assert sheet.cell(row=2, column=8).number_format == "0.00"
    assert sheet.cell(row=2, column=6).number_format == "#,##0"

    targets = workbook["DanhSachDanhGia"]
    listed = list(targets.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[6], r[7]) for r in listed] == [
        (scored[10].tax_code, "=Công ty Gạch số 10", 0, 10),
        (scored[8].tax_code, "Công ty Gạch số 8", 22, 10),
    ]
    # 80 t × 0.60 ÷ 1000 tấn = 0.048 TOE per tấn, a real number.
    assert listed[1][8] == pytest.approx(0.048)
    # The name that looks like a formula is text with Excel's quote prefix, not a formula.
    name = targets.cell(row=2, column=3)
    assert name.data_type == "s" and name.quotePrefix
