import json
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.intensity import intensity_rows

from .indicator_helpers import report


def url(facility):
    return reverse("reports:facility_intensity", args=[facility.pk])


@pytest.fixture
def reports(facility):
    report(facility, 2016, coal_t=100)  # 0.06 TOE per unit: the baseline
    report(facility, 2017, coal_t=95)
    report(facility, 2018, coal_t=88)
    report(facility, 2019, state="draft", coal_t=10)
    return facility


def test_rows_give_intensity_and_saving_against_the_baseline(reports):
    rows = intensity_rows(reports)

    assert [row.year for row in rows] == [2016, 2017, 2018]
    assert rows[0].intensity == Decimal("0.06")
    assert [row.saving_pct for row in rows] == [None, Decimal("5.0"), Decimal("12.0")]


def test_no_saving_without_a_usable_baseline(facility):
    report(facility, 2016, output=0)
    report(facility, 2017)
    assert [row.saving_pct for row in intensity_rows(facility)] == [None, None]


def test_it_works(client, facility_user, reports):
    client.force_login(facility_user)

    response = client.get(url(reports))

    assert response.status_code == 200
    page = response.content.decode()
    assert "12.0" in page or "12,0" in page
    start = page.index('<script id="intensity-data" type="application/json">')
    chart = json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert chart["years"] == [2016, 2017, 2018]
    assert chart["saving"] == [None, 5.0, 12.0]
    assert chart["target"] == {"min": 8.0, "max": 13.0}
    assert "js/facility-intensity.js" in page


def test_staff_see_any_facility(client, staff, reports):
    client.force_login(staff)
    response = client.get(url(reports))
    assert response.status_code == 200
    assert reports.name in response.text
    # 2018: 88 t coal × 0.60 / 1000 units = 0.0528 TOE/unit, 12.0 % below 2016's 0.06.
    assert '<td class="text-end">0,052800</td>' in response.text
    assert '<td class="text-end">12,0</td>' in response.text


def test_it_requires_login(client, facility):
    response = client.get(url(facility))
    assert response.status_code == 302


def test_it_hides_other_facilities(client, facility_user, other_facility):
    client.force_login(facility_user)
    assert client.get(url(other_facility)).status_code == 404


def test_my_facility_redirects_to_the_only_facility(client, facility_user, facility):
    client.force_login(facility_user)

    response = client.get(reverse("reports:my_facility"))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:facility_progress", args=[facility.pk])


def test_my_facility_lists_several_facilities(client, facility_user, other_facility):
    facility_user.facilities.add(other_facility)
    client.force_login(facility_user)

    response = client.get(reverse("reports:my_facility"))

    assert response.status_code == 200
    assert len(response.context["facilities"]) == 2


def test_my_facility_sends_staff_to_the_dashboard(client, staff):
    client.force_login(staff)
    response = client.get(reverse("reports:my_facility"))
    assert response["Location"] == reverse("reports:dashboard")


def test_it_rejects_bad_input(client, facility_user):
    client.force_login(facility_user)
    assert client.get("/reports/facility/abc/intensity/").status_code == 404


def test_a_fall_just_below_the_line_is_neither_shown_at_it_nor_reached(client, staff, facility):
    # 7,96 % below the baseline: SAVING_PCT does not count it, so the page must not show 8,0 nor
    # "Đạt" (once it rounded first, then compared).
    report(facility, 2016, coal_t=100)
    report(facility, 2017, coal_t=Decimal("92.04"))
    assert [row.saving_pct for row in intensity_rows(facility)] == [None, Decimal("7.9")]
    client.force_login(staff)
    page = client.get(url(facility)).text
    assert "7,9" in page and "8,0" not in page
    assert "Chưa đạt" in page
    progress = client.get(reverse("reports:facility_progress", args=[facility.pk])).text
    assert "7,9 %" in progress and "8,0" not in progress
