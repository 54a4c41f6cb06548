"""Review of the JSON API and the commands of DESIGN §5 as an outside client uses them: every
refused parameter is named with a reason in the user's language (never DRF's English), a
parameter sent twice is refused rather than read as its last value, a filter naming nothing says
so in a readable sentence, and `issue_token --days` with a huge number is a message, not a
traceback."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import ApiToken

FACILITIES = reverse("api:facilities")
INDICATORS = reverse("api:indicators")
SCHEMA = reverse("api:schema")
PROBLEM = "application/problem+json"
# DRF's messages the Vietnamese catalogue lacks, as they leaked into problem details.
ENGLISH = re.compile(r"\b(the|this|value|pattern|ensure|characters|field)\b", re.IGNORECASE)


def _reasons(response, status=400):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    return body, [(p["name"], p["reason"]) for p in body.get("invalid_params", [])]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("division", "1"),
        ("division", "ab"),
        ("province", "3"),
        ("old_province_code", "270"),
        ("district_code", "25"),
        ("commune_code", "1050"),
        ("ward_code", "7864"),
        ("q", "x" * 201),
        ("q", "a\x00b"),
    ],
)
def test_a_malformed_filter_gets_one_vietnamese_reason(client, staff, name, value):
    client.force_login(staff)

    body, reasons = _reasons(client.get(FACILITIES, {name: value}))

    assert [n for n, _reason in reasons] == [name]  # one reason, naming the parameter
    reason = reasons[0][1]
    assert not ENGLISH.search(reason), reason
    assert body["detail"] == reason


def test_a_malformed_code_says_how_many_digits(client, staff):
    client.force_login(staff)

    _body, reasons = _reasons(client.get(FACILITIES, {"commune_code": "1050"}))

    assert "5" in reasons[0][1]


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        (INDICATORS, "year=2019&year=2020", "year"),
        (INDICATORS, "year=2019&group=sector&group=ward", "group"),
        (FACILITIES, "page=1&page=2", "page"),
        (FACILITIES, "division=10&division=23", "division"),
    ],
)
def test_a_parameter_sent_twice_is_refused(client, official, path, params, name):
    client.force_login(official)

    _body, reasons = _reasons(client.get(f"{path}?{params}"))

    assert [n for n, _reason in reasons] == [name]


def test_a_parameter_sent_once_still_answers(client, official):
    client.force_login(official)

    response = client.get(f"{INDICATORS}?year=2019&group=sector")

    assert response.status_code == 200
    assert response.json()["year"] == 2019


def test_a_filter_naming_nothing_is_a_404_with_the_label_quoted(client, staff):
    client.force_login(staff)

    response = client.get(FACILITIES, {"district": "999999"})

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "999999" in detail
    # The label ("Huyện cũ") is quoted, not capitalised in the middle of the sentence.
    assert "“" in detail and "”" in detail


def test_the_schema_still_documents_the_patterns(client, staff):
    client.force_login(staff)

    schema = client.get(SCHEMA, {"format": "json"}).json()

    parameters = {p["name"]: p["schema"] for p in schema["paths"][FACILITIES]["get"]["parameters"]}
    assert parameters["commune_code"]["pattern"] == "^[0-9]{5}$"
    assert parameters["division"]["pattern"] == "^[0-9]{2}$"
    assert "\\u0000" in json.dumps(parameters["q"]) or "\\x00" in json.dumps(parameters["q"])
    actual = schema["components"]["schemas"]["IndicatorValue"]["properties"]["actual"]
    assert "unit" in actual["description"]


# --- manage.py issue_token --days ------------------------------------------------------------


@pytest.mark.parametrize("days", ["3651", "3000000"])
def test_issue_token_refuses_too_many_days_with_a_message(staff, days):
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("issue_token", staff.username, "--days", days, stdout=out, stderr=StringIO())

    assert "3650" in str(error.value)
    assert out.getvalue() == ""
    assert not ApiToken.objects.filter(user=staff).exists()


def test_issue_token_accepts_the_longest_allowed(staff):
    out = StringIO()

    call_command("issue_token", staff.username, "--days", "3650", stdout=out, stderr=StringIO())

    assert len(out.getvalue().strip().splitlines()) == 1
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_issue_token_refuses_a_label_too_long_instead_of_cutting_it(staff):
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("issue_token", staff.username, "--label", "x" * 101, stdout=out)

    assert "tối đa 100 ký tự (đã nhập 101)" in str(error.value)
    assert not ApiToken.objects.filter(user=staff).exists()
    call_command("issue_token", staff.username, "--label", "x" * 100, stdout=out, stderr=StringIO())
    assert ApiToken.objects.get(user=staff).label == "x" * 100
