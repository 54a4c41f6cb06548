"""The API page in the user's language: the schema behind /reports/api/ (/api/v1/schema/) is
written by the same rule as every page of the portal (accounts/language.py): Vietnamese, unless the
user chose English (the language cookie, else the choice kept on the account — also for a client
sending an API key). Only its texts change: paths, parameters, types and statuses are the same in
both languages."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import tokens

SCHEMA = reverse("api:schema")
INDICATORS = reverse("api:indicators")
FACILITIES = reverse("api:facilities")
BENCHMARK = "/api/v1/facilities/{id}/benchmark/"
TEXT_KEYS = ("description", "summary", "title")
VIETNAMESE_LETTER = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)

ENGLISH_DESCRIPTION = (
    "CP Plan indicators and the register of industrial facilities (approved data only)."
)
VIETNAMESE_DESCRIPTION = "Chỉ tiêu Kế hoạch SXSH và sổ đăng ký cơ sở SXCN (chỉ dữ liệu đã duyệt)."


def _schema(client, **headers) -> dict:
    response = client.get(SCHEMA, {"format": "json"}, **headers)
    assert response.status_code == 200
    return response.json()


def _choosing(client, user, *, cookie=None, account=""):
    user.language = account
    user.save(update_fields=["language"])
    client.force_login(user)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    return _schema(client)


def _texts(node, path=""):
    """(where, text) of every string in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def _unwrapped(node):
    """The schema with every reference the generator wraps in a one-item allOf, because the
    field has a title or description beside it (OpenAPI 3.0 allows no siblings of $ref), written
    as the reference itself: it does so in one language and not in the other where the title is
    the field's own name ("status")."""
    if isinstance(node, dict):
        if len(node.get("allOf", ())) == 1 and set(node["allOf"][0]) == {"$ref"}:
            node = {**{k: v for k, v in node.items() if k != "allOf"}, **node["allOf"][0]}
        return {key: _unwrapped(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_unwrapped(value) for value in node]
    return node


def _stripped(node):
    """The schema without its prose: what a client program reads of it."""
    if isinstance(node, dict):
        return {
            key: _stripped(value)
            for key, value in node.items()
            if not (key in TEXT_KEYS and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_stripped(value) for value in node]
    return node


def _summaries(schema) -> list[str]:
    return [schema["paths"][path]["get"]["summary"] for path in (INDICATORS, FACILITIES, BENCHMARK)]


def test_a_user_who_chose_english_reads_the_schema_in_english(client, staff):
    schema = _choosing(client, staff, cookie="en")

    assert schema["info"]["description"] == ENGLISH_DESCRIPTION
    assert _summaries(schema) == [
        "CP Plan indicators for a year",
        "Register of industrial facilities (within the user's scope)",
        "The facility's energy-efficiency benchmark score within its industry (0–100)",
    ]
    year_only = schema["paths"][INDICATORS]["get"]["description"]
    assert year_only.startswith("Approved data only.")
    vietnamese = [(where, text) for where, text in _texts(schema) if VIETNAMESE_LETTER.search(text)]
    assert vietnamese == []


def test_the_schema_is_vietnamese_by_default(client, staff):
    schema = _choosing(client, staff)

    assert schema["info"]["description"] == VIETNAMESE_DESCRIPTION
    assert _summaries(schema)[0] == "Chỉ tiêu Kế hoạch SXSH của một năm"
    params = {p["name"]: p for p in schema["paths"][FACILITIES]["get"]["parameters"]}
    assert params["q"]["description"] == "Tên, mã số thuế hoặc địa chỉ (không phân biệt dấu)"
    assert "* `1` - có" in params["key_energy_user"]["description"]
    assert schema["paths"][FACILITIES]["get"]["responses"]["401"]["description"].startswith(
        "Thiếu khoá API"
    )


@pytest.mark.parametrize(
    ("cookie", "account", "expected"),
    [
        (None, "en", ENGLISH_DESCRIPTION),  # the choice kept on the account, in another browser
        ("en", "vi", ENGLISH_DESCRIPTION),  # the switcher's cookie first
        ("vi", "en", VIETNAMESE_DESCRIPTION),
    ],
)
def test_the_schema_follows_the_portals_language_rule(client, staff, cookie, account, expected):
    schema = _choosing(client, staff, cookie=cookie, account=account)

    assert schema["info"]["description"] == expected


def test_a_client_with_an_api_key_gets_its_accounts_language(client, staff):
    staff.language = "en"
    staff.save(update_fields=["language"])
    _, key = tokens.issue(staff, "docs")

    schema = _schema(client, HTTP_AUTHORIZATION=f"Token {key}")

    assert schema["info"]["description"] == ENGLISH_DESCRIPTION
    assert schema["components"]["securitySchemes"]["tokenAuth"]["description"].startswith(
        "API key in the Authorization header"
    )


def test_both_languages_describe_the_same_api(client, staff):
    vietnamese = _choosing(client, staff, cookie="vi")
    english = _choosing(client, staff, cookie="en")

    english, vietnamese = _unwrapped(english), _unwrapped(vietnamese)
    assert _stripped(english) == _stripped(vietnamese)
    en_texts, vi_texts = dict(_texts(english)), dict(_texts(vietnamese))
    differing = {
        where
        for where in en_texts.keys() | vi_texts.keys()
        if en_texts.get(where) != vi_texts.get(where)
    }
    # Every operation's summary and description, every parameter, field and answer text.
    assert len(differing) > 60
    assert all(where.endswith(TEXT_KEYS) for where in differing)


def test_the_schema_is_not_kept_between_languages(client, staff):
    """A schema written in one language is never served for the other: it is written for each
    request, and neither browsers nor proxies keep it (its language depends on the cookie)."""
    english = _choosing(client, staff, cookie="en")
    response = client.get(SCHEMA, {"format": "json"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = _schema(client)

    assert english["info"]["description"] != vietnamese["info"]["description"]
    assert response["Content-Language"] == "en"
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
