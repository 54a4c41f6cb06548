"""The plan pages' history tables (establishment counts, a narrative's saves) show the latest
changes and say how many older ones were left out, with a link to them all (core.history's
one rule), instead of cutting the table silently."""

import re

from django.urls import reverse

from reports.models import EstablishmentCount


def _rows(page: str, table_id: str) -> int:
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return len(re.findall(r"<tr><td>", table))


def test_establishment_history_says_what_it_left_out_and_links_to_it(client, staff):
    client.force_login(staff)
    url = reverse("reports:establishments")
    for n in range(13):
        data = {"year": 2020, "count": str(1000 + n), "source": f"Nguồn {n}"}
        response = client.post(url, data | {"source_date": "2021-06-30", "note": ""})
        assert response.status_code == 302
    assert EstablishmentCount.history.count() == 13

    page = client.get(url).content.decode()
    assert _rows(page, "history-table") == 10
    assert "Còn 3 thay đổi cũ hơn" in page
    assert "?history=all#history-table" in page

    everything = client.get(url, {"history": "all"}).content.decode()
    assert _rows(everything, "history-table") == 13
    assert "thay đổi cũ hơn" not in everything


def test_narrative_history_says_what_it_left_out(client, staff):
    client.force_login(staff)
    url = reverse("reports:narrative", kwargs={"year": 2020, "period": "year"})
    for n in range(12):
        page = client.get(url).content.decode()
        version = re.search(r'name="version" value="(\d+)"', page)
        data = {"shortcomings": f"Tồn tại lần {n}", "direction": "", "recommendations": ""}
        if version:
            data["version"] = version.group(1)
        assert client.post(url, data).status_code == 302

    page = client.get(url).content.decode()
    history = page[page.index('id="narrative-history"') :]
    assert history[: history.index("</ul>")].count("<li>") == 10
    assert "Còn 2 thay đổi cũ hơn" in page
    everything = client.get(url, {"history": "all"}).content.decode()
    history = everything[everything.index('id="narrative-history"') :]
    assert history[: history.index("</ul>")].count("<li>") == 12
