"""The API as an outside client reads DESIGN §5 and the schema: integers without a plus sign,
the flag filters taking the keys the indicator groups give (true/false), and a `format` the API
cannot write answered 406, not a misleading 404."""

import pytest
from django.urls import reverse

from ..factories import FacilityFactory

pytestmark = pytest.mark.django_db

FACILITIES = "/api/v1/facilities/"


@pytest.fixture
def api(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/indicators/", {"year": "+2019"}),
        (FACILITIES, {"page": "+1"}),
        (FACILITIES, {"industrial_area": "+1"}),
        (FACILITIES, {"commune": "+1"}),
    ],
)
def test_a_plus_sign_is_refused_as_not_an_integer(api, path, params):
    response = api.get(path, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == list(params)


def test_the_flag_filters_take_the_group_keys(api):
    risky = FacilityFactory(high_pollution_risk=True, key_energy_user=False)
    FacilityFactory(high_pollution_risk=False, key_energy_user=True)
    for value in ("true", "1"):
        answer = api.get(FACILITIES, {"high_pollution_risk": value}).json()
        assert [row["tax_code"] for row in answer["results"]] == [risky.tax_code]
    for value in ("false", "0"):
        answer = api.get(FACILITIES, {"key_energy_user": value}).json()
        assert [row["tax_code"] for row in answer["results"]] == [risky.tax_code]
    assert api.get(FACILITIES, {"high_pollution_risk": "yes"}).status_code == 400


@pytest.mark.parametrize("path", [FACILITIES, "/api/v1/indicators/?year=2019", "/api/v1/schema/"])
def test_a_format_the_api_cannot_write_is_406(api, path):
    separator = "&" if "?" in path else "?"
    response = api.get(f"{path}{separator}format=xml")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert "xml" in response.json()["detail"]


def test_format_json_still_serves_the_schema_and_the_list(api):
    assert api.get(reverse("api:schema"), {"format": "json"}).status_code == 200
    assert api.get(FACILITIES, {"format": "json"}).status_code == 200


def test_a_year_to_come_has_no_figures(api):
    # As the dashboard (requestable years): the cumulative shares of a year to come would read
    # as targets already met.
    from django.utils import timezone

    from assessments.models import PlanPeriod

    PlanPeriod.objects.create(code="2021-2030", name="2021–2030", start_year=2021, end_year=2030)
    this_year = timezone.localdate().year
    assert api.get("/api/v1/indicators/", {"year": this_year}).status_code == 200
    response = api.get("/api/v1/indicators/", {"year": this_year + 1})
    assert response.status_code == 404
    assert response.json()["detail"] == (
        f"Năm {this_year + 1} chưa đến; chưa có số liệu của năm này."
    )


def _descriptions(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield value
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)


def test_the_schema_describes_everything_in_vietnamese(api):
    # The rest of the API speaks Vietnamese: no English docstring may leak in as a description
    # (of an operation, a component, or OPTIONS).
    import re

    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    english = re.compile(r"\b(the|of|with|and|is|a facility|user)\b")
    leaked = [text for text in _descriptions(schema) if english.search(text)]
    assert leaked == []
    options = api.options(FACILITIES).json()
    assert not english.search(options.get("description", ""))
