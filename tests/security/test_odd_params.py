"""Odd query strings never make a page fail: every page of the portal (the resolver's list, with
each role's own records), as staff, an official, a facility user and the Ministry of a national
installation, answers below 500 to non-numbers, huge numbers, NUL bytes, very long text, SQL,
unknown choices, repeated parameters and bytes that are not UTF-8, in every parameter a page
reads. The JSON API answers them likewise, with a JSON problem body."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import Role

from ..factories import UserFactory
from .routes import all_routes
from .test_idor_matrix import MATRIX

# Every parameter a list, filter, dashboard or export reads (their forms' fields), besides the
# ones each query string below names itself.
OTHERS = (
    "sort", "order", "province", "ward", "group", "format", "state", "status", "kind",
    "district", "commune", "old_province", "division", "category", "facility", "rule",
    "severity", "size", "ownership", "industrial_area", "high_pollution_risk", "key_energy_user",
    "key", "part", "hidden", "period", "next", "month", "date", "tab",
)  # fmt: skip

NUL, NOT_UTF8, HUGE = "%00", "%FF%FE", "99999999999999999999"


def _query(page: str, year: str, q: str, others: str) -> str:
    pairs = [("page", page), ("year", year), ("q", q)] + [(name, others) for name in OTHERS]
    return "&".join(f"{name}={value}" for name, value in pairs)


# A few query strings (already encoded) that together give each parameter each kind of oddness.
QUERIES = {
    "text": _query("abc", "abc", "x" * 5000, "abc"),
    "nul": _query("-1", "99999", NUL, f"ab{NUL}cd"),
    "sql": _query("0", "-5", "%27%20OR%201%3D1--", "-bogus"),
    "huge": _query(HUGE, "", NOT_UTF8, HUGE),
    "not_utf8": _query("1.5", "2020.5", f"a{NUL}", NOT_UTF8),
    "negative": _query("", "-2020", "%", "-5"),
    "repeated": "&".join(
        f"{name}={first}&{name}={second}"
        for name in ("page", "year", "q", *OTHERS)
        for first, second in [("2019", "2020")]
    ),
    "choices": _query("2", "2019", "hai duong", "bogus") + "&province=zz&ward=abc",
}

ROUTES = [route for route in all_routes() if route.name and not route.name.startswith("admin:")]
PAGES = [
    route for route in ROUTES if not route.pattern.startswith("api/") and route.name != "healthz"
]
API = [route for route in ROUTES if route.pattern.startswith("api/")]


def _app(route) -> str:
    return route.name.split(":")[0] if ":" in route.name else ""


APPS = sorted({_app(route) for route in PAGES})


def _url(route, own_records, staff_records) -> str:
    record = own_records[MATRIX[route.name]] if route.name in MATRIX else None
    record = staff_records.get(route.name, record)
    # The one int that names no record is a year (reports:indicator_facilities, narrative).
    return route.path(**dict.fromkeys(route.int_kwargs, record.pk if record else 2018))


def _failures(client, urls) -> dict[str, str]:
    """'url (query)' -> the error, for every request of `urls` with each odd query that fails."""
    client.raise_request_exception = False
    failures = {}
    for url in urls:
        for kind, query in QUERIES.items():
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                error = response.exc_info[1] if response.exc_info else response.status_code
                failures[f"{url} ({kind})"] = repr(error)[:200]
    return failures


@pytest.fixture
def ministry(settings, db):
    settings.PORTAL_SCOPE = "national"
    return UserFactory(username="bo_cong_thuong", role=Role.MINISTRY)


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("role", ["staff", "official", "facility_user", "ministry"])
def test_odd_query_strings_never_fail_a_page(
    client, request, own_records, staff_records, role, app
):
    client.force_login(request.getfixturevalue(role))
    routes = [route for route in PAGES if _app(route) == app]
    failures = _failures(client, [_url(route, own_records, staff_records) for route in routes])
    assert not failures, "\n".join(f"{where}: {error}" for where, error in failures.items())


@pytest.mark.parametrize("role", ["staff", "official", "facility_user", "ministry"])
def test_odd_query_strings_never_fail_the_api(client, request, own_records, staff_records, role):
    client.force_login(request.getfixturevalue(role))
    client.raise_request_exception = False
    failures, bodies = {}, set()
    for route in API:
        url = _url(route, own_records, staff_records)
        for kind, query in QUERIES.items():
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures[f"{url} ({kind})"] = repr(response.exc_info and response.exc_info[1])
            elif route.name != "api:schema":  # the schema is YAML or JSON as asked
                try:
                    json.loads(response.content)
                except ValueError:
                    failures[f"{url} ({kind})"] = f"not JSON: {response.content[:80]!r}"
                bodies.add(response["Content-Type"].split(";")[0])
    assert not failures, "\n".join(f"{where}: {error}" for where, error in failures.items())
    assert bodies <= {"application/json", "application/problem+json"}


# The list pages whose filters a form reads: an odd value is ignored, and the page says so.
FILTERED_PAGES = {
    "facilities:list": "year=1&q=ab%00cd&ward=abc&sort=bogus",
    "facilities:area_list": "kind=bogus&q=ab%00cd",
    "accounts:user_list": "q=ab%00cd",
    "assessments:report_list": "year=abc&state=bogus",
    "assessments:review_queue": "year=2020.5&facility=99999999999999999999",
    "assessments:missing_reports": "year=99999",
    "assessments:assessment_list": "year=-5&kind=bogus",
    "assessments:activity_list": "year=abc&kind=bogus",
    "assessments:quality_findings": "year=99999&severity=bogus",
    "assessments:option_library": "division=zz&category=abc",
}


@pytest.mark.parametrize("name", sorted(FILTERED_PAGES))
def test_an_ignored_filter_is_said_in_vietnamese(client, staff, name):
    client.force_login(staff)
    response = client.get(f"{reverse(name)}?{FILTERED_PAGES[name]}")
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.text
    assert "Điều kiện lọc không hợp lệ nên chưa được áp dụng" in response.text


class _FormFields(HTMLParser):
    """Name -> value of every field of the page's largest POST form, as a user would send it
    (a select's selected option with a value, else its first one with a value; checked boxes
    only), and the names of the hidden ones."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea, self._chosen = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(({}, set()) if attrs.get("method", "").lower() == "post" else None)
        if not self.forms or self.forms[-1] is None:
            return
        fields, hidden = self.forms[-1]
        if tag == "option" and self._select:
            value = attrs.get("value", "")
            if value and ("selected" in attrs or not (self._chosen or fields[self._select])):
                fields[self._select], self._chosen = value, "selected" in attrs
        name = attrs.get("name")
        if not name:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "hidden":
                hidden.add(name)
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select":
            self._select, self._chosen = name, False
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms and self.forms[-1] is not None:
            self.forms[-1][0][self._textarea] += data

    @classmethod
    def of(cls, html: str) -> tuple[dict, set]:
        parser = cls()
        parser.feed(html)
        return max((form for form in parser.forms if form), key=lambda form: len(form[0]))


# The main create and edit forms: URL name -> the record (a key of make_records) its pk names.
FORMS = {
    "facilities:create": None,
    "facilities:edit": "facility",
    "assessments:report_create": "facility",
    "assessments:report_edit": "report_draft",
    "assessments:assessment_create": None,
    "assessments:assessment_edit": "assessment_draft",
    "assessments:option_create": "assessment_draft",
    "assessments:option_edit": "option",
    "assessments:activity_create": None,
    "assessments:activity_edit": "activity",
    "accounts:user_create": None,
}
# Required text a create form's page leaves empty, so that the other fields start valid.
FILL = {
    "name": "Công ty TNHH Gạch Tuynel Thử",
    "tax_code": "0100109106",  # check digit by hand: 10 - 114 mod 11 = 6
    "address": "Số 1 đường Lý Thái Tổ",
    "title": "Hội thảo nâng cao nhận thức SXSH",
    "date": "05/03/2020",
    "description": "Quản lý nội vi: sửa rò rỉ hơi",
    "username": "coso_moi",
    "email": "coso.moi@example.vn",
}


def _page_fields(client, url) -> tuple[dict, set]:
    fields, hidden = _FormFields.of(client.get(url).text)
    return {name: value or FILL.get(name, "") for name, value in fields.items()}, hidden


# Each value goes into every visible field at once; each but the last two must be refused
# somewhere (a NUL byte, 10,000 characters, numbers beyond any column, a day that does not exist).
ODD_INPUTS = {
    "nul": "ab\x00cd",
    "long": "x" * 10_000,
    "huge_float": "1e308",
    "no_such_date": "31/02/2020",
    "huge_int": "99999999999999999999",
    "grouped_decimal": "1.234.567,89",  # a Vietnamese number: may be accepted
    "minus_zero": "-0",  # zero: may be accepted
}
MAY_BE_ACCEPTED = {"grouped_decimal", "minus_zero"}


def _is_vietnamese(message: str) -> bool:
    # Every Vietnamese message has a letter with a diacritic; Django's English ones have none.
    return any(ord(char) > 127 for char in message)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_odd_form_input_gets_a_vietnamese_field_error(client, staff, own_records, name):
    record = own_records[FORMS[name]] if FORMS[name] else None
    url = reverse(name, args=[record.pk] if record else [])
    client.force_login(staff)
    client.raise_request_exception = False
    problems = {}
    for kind, value in ODD_INPUTS.items():
        # Loaded afresh each time: an accepted value saves the record (a new version).
        fields, hidden = _page_fields(client, url)
        visible = [field for field in fields if field not in hidden]
        assert len(visible) >= 2, fields
        response = client.post(url, {**fields, **dict.fromkeys(visible, value)})
        if response.status_code >= 500:
            problems[kind] = repr(response.exc_info and response.exc_info[1])
            continue
        if response.status_code == 302 and kind in MAY_BE_ACCEPTED:
            continue
        form = response.context and response.context.get("form")
        errors = [str(m) for field in (form.errors.values() if form else []) for m in field]
        if response.status_code != 200 or not errors:
            problems[kind] = f"{response.status_code}, no field error"
        elif not all(_is_vietnamese(message) for message in errors):
            problems[kind] = f"not Vietnamese: {[m for m in errors if not _is_vietnamese(m)]}"
    assert not problems, "\n".join(f"{kind}: {problem}" for kind, problem in problems.items())


@pytest.mark.parametrize("name", sorted(FORMS))
def test_one_odd_field_among_valid_ones_never_fails(client, staff, own_records, name):
    """Each field alone gets each odd value, the others keeping the page's own values: the
    form's cross-field checks then run too."""
    record = own_records[FORMS[name]] if FORMS[name] else None
    url = reverse(name, args=[record.pk] if record else [])
    client.force_login(staff)
    client.raise_request_exception = False
    fields, hidden = _page_fields(client, url)
    failures = {}
    for field in [field for field in fields if field not in hidden]:
        for kind in ODD_INPUTS.keys() - MAY_BE_ACCEPTED:
            response = client.post(url, {**fields, field: ODD_INPUTS[kind]})
            if response.status_code >= 500:
                failures[f"{field} ({kind})"] = repr(response.exc_info and response.exc_info[1])
    assert not failures, "\n".join(f"{where}: {error}" for where, error in failures.items())
