"""`format`, the query parameter every API operation takes (core/negotiation.py): the schema
describes it, it may be sent once like any other, and the list of valid parameters in a 400
names each parameter once, `format` included."""

import pytest

OPERATIONS = ["/api/v1/indicators/", "/api/v1/facilities/", "/api/v1/facilities/{id}/benchmark/"]


@pytest.fixture
def schema(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path", OPERATIONS)
def test_the_schema_describes_format(schema, path):
    parameters = schema["paths"][path]["get"]["parameters"]
    described = [p for p in parameters if p["name"] == "format" and p["in"] == "query"]
    assert len(described) == 1
    assert described[0]["schema"]["enum"] == ["json"]


@pytest.mark.parametrize(
    "address",
    ["/api/v1/facilities/?format=json&format=json", "/api/v1/facilities/?page=1&page=2"],
)
def test_format_and_page_given_twice_are_refused_as_any_parameter(client, staff, address):
    client.force_login(staff)
    response = client.get(address)
    assert response.status_code == 400
    (problem,) = response.json()["invalid_params"]
    assert "chỉ được gửi một lần" in problem["reason"]


def test_the_valid_parameters_are_each_named_once(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/facilities/?sector=17")
    assert response.status_code == 400
    reason = response.json()["invalid_params"][0]["reason"]
    named = reason.split("tham số hợp lệ: ")[1].rstrip(".").split(", ")
    assert len(named) == len(set(named))
    assert {"page", "format", "division"} <= set(named)
