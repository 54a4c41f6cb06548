"""The yearly milestones were seeded by a migration, without history: the first change of one
must still show, on the milestones page, the value it replaced (core.history.record_seeded_value,
as for the indicators and factors)."""

import re

import pytest
from django.urls import reverse

from core.numbers import format_decimal
from reports.models import Indicator, IndicatorMilestone

pytestmark = pytest.mark.django_db

YEARS = range(2016, 2021)


@pytest.fixture
def aware(db):
    return Indicator.objects.get(code="AWARE_PCT", period__code="2016-2020")


def _form(indicator) -> dict:
    """The milestones form as loaded: every stored year's values."""
    data = {f"y{y}_min": "" for y in YEARS} | {f"y{y}_max": "" for y in YEARS}
    for m in IndicatorMilestone.objects.filter(indicator=indicator):
        data[f"y{m.year}_min"] = format_decimal(m.target_min)
        data[f"y{m.year}_max"] = "" if m.target_max is None else format_decimal(m.target_max)
    return data


def _history_rows(client, indicator) -> list[list[str]]:
    """The cells of each row of the page's milestone history table, as text."""
    page = client.get(reverse("reports:indicator_milestones", args=[indicator.pk])).text
    table = page.split('id="history-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in body.split("<tr>")[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def test_the_first_change_of_a_seeded_milestone_shows_the_old_value(client, staff, aware):
    seeded = IndicatorMilestone.objects.get(indicator=aware, year=2018)
    assert not seeded.history.exists()  # seeded by the migration, without history
    old = seeded.target_min
    new = old + 1
    client.force_login(staff)
    data = _form(aware) | {"y2018_min": format_decimal(new)}

    response = client.post(reverse("reports:indicator_milestones", args=[aware.pk]), data)

    assert response.status_code == 302
    rows = [r for r in _history_rows(client, aware) if r[1] == "2018"]
    # Newest first: the edit by the staff member, then the seeded value it replaced.
    assert [r[2] for r in rows] == [format_decimal(new), format_decimal(old)]
    assert staff.full_name in rows[0][4]
    assert rows[1][4] == "—"  # the seeded value is the system's, not the editor's
    # The other years did not change: no history written for them.
    assert not IndicatorMilestone.history.filter(indicator_id=aware.pk).exclude(year=2018).exists()


def test_deleting_a_seeded_milestone_keeps_its_value_in_the_history(client, staff, aware):
    old = IndicatorMilestone.objects.get(indicator=aware, year=2016).target_min
    client.force_login(staff)
    data = _form(aware) | {"y2016_min": ""}

    response = client.post(reverse("reports:indicator_milestones", args=[aware.pk]), data)

    assert response.status_code == 302
    assert not IndicatorMilestone.objects.filter(indicator=aware, year=2016).exists()
    rows = [r for r in _history_rows(client, aware) if r[1] == "2016"]
    assert [r[2] for r in rows] == [format_decimal(old), format_decimal(old)]
    assert [r[5] for r in rows] == ["Xóa", "Tạo mới"]


def test_a_second_change_adds_no_second_seeded_record(client, staff, aware):
    client.force_login(staff)
    url = reverse("reports:indicator_milestones", args=[aware.pk])
    old = IndicatorMilestone.objects.get(indicator=aware, year=2019).target_min
    for step in (1, 2):
        assert (
            client.post(url, _form(aware) | {"y2019_min": format_decimal(old + step)}).status_code
            == 302
        )

    rows = [r for r in _history_rows(client, aware) if r[1] == "2019"]
    assert [r[2] for r in rows] == [format_decimal(old + v) for v in (2, 1, 0)]
