"""The plan pages guard their data: two staff saving the yearly milestones of an indicator at
once cannot undo each other's change without being told; removing manual values asks first;
the history tables name their changes in Vietnamese (core.history.HISTORY_TYPES)."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import EstablishmentCount, Indicator, IndicatorMilestone, IndicatorValue
from tests.factories import UserFactory

D = Decimal
CONFLICT = "Chỉ tiêu này vừa được người khác cập nhật"


@pytest.fixture
def aware(db):
    return Indicator.objects.get(code="AWARE_PCT", period__code="2016-2020")


@pytest.fixture
def doit(db):
    return Indicator.objects.get(code="DOIT_STAFF", period__code="2016-2020")


def text(response) -> str:
    visible = html.unescape(re.sub(r"<[^>]*>", " ", response.content.decode()))
    return " ".join(visible.split())


def form_inputs(response, form_marker: str) -> dict[str, str]:
    """The name/value of every <input> of the page's form that contains `form_marker`, as the
    browser would post it (text and hidden inputs; checkboxes left out)."""
    page = response.content.decode()
    forms = re.findall(r"<form\b.*?</form>", page, flags=re.S)
    form = next(f for f in forms if form_marker in f)
    data = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        if 'type="checkbox"' in tag:
            continue
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return data


def history_actions(response) -> list[str]:
    """The last cell ("Thao tác") of each row of the page's history table."""
    page = response.content.decode()
    table = re.search(r'<table[^>]*id="history-table".*?</table>', page, flags=re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    return [html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[-1]) for row in rows]


def typed(value: Decimal) -> str:
    """A number as staff type it (6,8)."""
    return format(value.normalize(), "f").replace(".", ",")


def milestones(indicator):
    return {
        m.year: (m.target_min, m.target_max)
        for m in IndicatorMilestone.objects.filter(indicator=indicator)
    }


# --- 1. yearly milestones: no lost update -------------------------------------------------------


def test_a_milestone_save_over_a_newer_change_is_refused(client, staff, aware):
    other = UserFactory(username="canbo_khac", role=staff.role)
    url = reverse("reports:indicator_milestones", args=[aware.pk])
    client.force_login(staff)
    loaded_a = form_inputs(client.get(url), "milestones-table")
    client.force_login(other)
    loaded_b = form_inputs(client.get(url), "milestones-table")
    before = milestones(aware)
    a_value = (before.get(2018, (D(70),))[0] or D(70)) + 1
    b_value = (before.get(2019, (D(80),))[0] or D(80)) + 1

    client.force_login(staff)
    response = client.post(url, loaded_a | {"y2018_min": typed(a_value)})
    assert response.status_code == 302
    client.force_login(other)
    response = client.post(url, loaded_b | {"y2019_min": typed(b_value)})

    assert response.status_code == 409
    assert CONFLICT in text(response)
    after = milestones(aware)
    assert after[2018][0] == a_value  # A's change kept
    assert after.get(2019) == before.get(2019)  # B's not saved
    # The form shows the latest values, to enter B's change again.
    shown = form_inputs(response, "milestones-table")
    assert D(shown["y2018_min"].replace(",", ".")) == a_value
    # From the latest values, B's save goes through.
    response = client.post(url, shown | {"y2019_min": typed(b_value)})
    assert response.status_code == 302
    assert milestones(aware)[2019][0] == b_value
    assert milestones(aware)[2018][0] == a_value


def test_a_milestone_save_with_nothing_changed_since_goes_through(client, staff, doit):
    url = reverse("reports:indicator_milestones", args=[doit.pk])
    client.force_login(staff)
    loaded = form_inputs(client.get(url), "milestones-table")

    response = client.post(url, loaded | {"y2019_min": "2"})

    assert response.status_code == 302
    assert milestones(doit) == {2019: (D(2), None)}


# --- 2. removing manual values asks first -------------------------------------------------------


def values_url(indicator):
    return reverse("reports:indicator_values", args=[indicator.pk])


def test_removing_values_first_shows_what_will_be_removed(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2017, "value": "4", "note": "Năm nhầm"})
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": "Đúng"})

    response = client.post(values_url(doit), {"delete": "2017", "remove": "1"})

    assert response.status_code == 200
    page = text(response)
    assert "2017" in page and "4" in page and "Năm nhầm" in page
    assert "Đúng" not in page  # only the chosen year is listed
    assert IndicatorValue.objects.filter(indicator=doit).count() == 2
    confirm = form_inputs(response, 'name="confirm"')
    assert confirm == {"delete": "2017", "confirm": "1"}

    response = client.post(values_url(doit), confirm, follow=True)

    assert "Đã xóa giá trị năm 2017 (4 người)." in text(response)
    assert list(IndicatorValue.objects.filter(indicator=doit).values_list("year", flat=True)) == [
        2018
    ]
    removal = IndicatorValue.history.get(indicator_id=doit.pk, year=2017, history_type="-")
    assert removal.history_user == staff


def test_a_get_never_removes(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})

    response = client.get(values_url(doit), {"delete": "2018", "confirm": "1"})

    assert response.status_code == 200
    assert IndicatorValue.objects.filter(indicator=doit, year=2018).exists()


@pytest.mark.parametrize("who", ["official", "ministry"])
def test_officials_and_the_ministry_cannot_confirm_a_removal(client, request, staff, doit, who):
    from accounts.models import Role

    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})
    user = (
        request.getfixturevalue("official")
        if who == "official"
        else UserFactory(username="bo_xoa", role=Role.MINISTRY)
    )
    client.force_login(user)

    response = client.post(values_url(doit), {"delete": "2018", "confirm": "1"})

    assert response.status_code == 403
    assert IndicatorValue.objects.filter(indicator=doit, year=2018).exists()


# --- 3. history tables in Vietnamese ------------------------------------------------------------


def assert_vietnamese(actions, expected):
    assert set(actions) == expected
    assert not {"Created", "Changed", "Deleted"} & set(actions)


def test_the_values_history_names_its_changes_in_vietnamese(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2017, "value": "4", "note": ""})
    client.post(values_url(doit), {"year": 2017, "value": "6", "note": ""})
    client.post(values_url(doit), {"delete": "2017", "confirm": "1"})

    actions = history_actions(client.get(values_url(doit)))

    assert_vietnamese(actions, {"Tạo mới", "Sửa", "Xóa"})


def test_the_milestones_history_names_its_changes_in_vietnamese(client, staff, doit):
    url = reverse("reports:indicator_milestones", args=[doit.pk])
    client.force_login(staff)
    client.post(url, {"y2019_min": "2"})
    client.post(url, {"y2019_min": "3"})
    client.post(url, {"y2019_min": ""})

    actions = history_actions(client.get(url))

    assert_vietnamese(actions, {"Tạo mới", "Sửa", "Xóa"})


def test_the_establishments_history_names_its_changes_in_vietnamese(client, staff):
    url = reverse("reports:establishments")
    client.force_login(staff)
    data = {"year": 2020, "count": "1.234", "source": "Niên giám", "source_date": "2021-06-30"}
    client.post(url, data | {"note": ""})
    client.post(url, data | {"note": "", "count": "1.250"})
    assert EstablishmentCount.history.filter(year=2020).count() == 2

    actions = history_actions(client.get(url))

    assert_vietnamese(actions, {"Tạo mới", "Sửa"})
