"""The English user interface (locale/en) and the Vietnamese overrides of Django's own strings
(locale/vi): switching the language translates the pages, not switching keeps them Vietnamese,
and the committed catalogues are complete and compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .reports.indicator_helpers import YEAR, facility, report

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = [
    LOCALE / "en" / "LC_MESSAGES" / "django.po",
    LOCALE / "en" / "LC_MESSAGES" / "djangojs.po",
    LOCALE / "vi" / "LC_MESSAGES" / "django.po",
]


@pytest.fixture
def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _page(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200
    return response.content.decode()


def _lang(page):
    return re.search(r'<html lang="([^"]+)"', page).group(1)


# --- English pages -------------------------------------------------------------------------------


def test_staff_home_in_english(english, staff):
    english.force_login(staff)

    page = _page(english, reverse("home"))

    assert _lang(page) == "en"
    assert "Department of Industry and Trade staff workspace" in page
    assert "Industrial facilities in the registry" in page
    assert "Annual reports" in page and "Sign out" in page
    assert "Trang làm việc của cán bộ Sở Công Thương" not in page
    assert "Đăng xuất" not in page


def test_facility_list_in_english(english, staff, facility):
    english.force_login(staff)

    page = _page(english, reverse("facilities:list"))

    assert _lang(page) == "en"
    assert "Registry of industrial facilities" in page
    assert "Facility name, tax code or place name" in page
    assert "Clear filters" in page
    assert "1 / 1 facilities" in page
    assert "Công ty Cổ phần Bia Hải Dương" in page  # data stays as entered
    assert "Sổ đăng ký cơ sở SXCN" not in page


def test_dashboard_in_english(english, official):
    aware = facility(name="Công ty Gốm Phù Lãng")
    report(aware, YEAR, aware=True)
    report(facility(), YEAR)
    english.force_login(official)

    page = _page(english, reverse("reports:dashboard"), {"year": YEAR})

    assert _lang(page) == "en"
    assert f"CP Plan indicators for {YEAR}" in page
    assert "By district" in page and "By sector" in page
    assert "Not met" in page and "No data" in page
    assert f"Milestone {YEAR}:" in page and "Target for 2020:" in page
    assert "registered" in page
    assert f"Chỉ tiêu Kế hoạch SXSH năm {YEAR}" not in page
    assert "Chưa đạt" not in page
    # The chart legends come from the JavaScript catalogue.
    assert reverse("javascript-catalog") in page


def test_chart_legends_in_english(english, official):
    script = english.get(reverse("javascript-catalog")).content.decode()
    assert "Energy intensity (TOE/product unit)" in script
    # The target lines are labelled by the server (reports/dashboard_charts.py).
    english.force_login(official)
    page = english.get(reverse("reports:dashboard"), {"year": 2020}).content.decode()
    assert "Target for 2020 (lower bound)" in page
    assert "Chỉ tiêu đến" not in page


def test_login_page_in_english(english):
    page = _page(english, reverse("accounts:login"))

    assert _lang(page) == "en"
    assert '<h1 class="h3 mb-3">Sign in</h1>' in page
    assert "Username" in page and "Password" in page
    assert "Forgotten your password?" in page
    assert "Đăng nhập" not in page


def test_switching_back_to_vietnamese(english, staff):
    english.force_login(staff)
    english.post(reverse("set_language"), {"language": "vi", "next": "/"})

    page = _page(english, reverse("home"))

    assert _lang(page) == "vi"
    assert "Trang làm việc của cán bộ Sở Công Thương" in page


# --- Vietnamese by default ----------------------------------------------------------------------


def test_staff_home_stays_vietnamese(client, staff):
    client.force_login(staff)

    page = _page(client, reverse("home"))

    assert _lang(page) == "vi"
    assert "Trang làm việc của cán bộ Sở Công Thương" in page
    assert "Department of Industry and Trade staff workspace" not in page


def test_facility_list_stays_vietnamese(client, staff, facility):
    client.force_login(staff)

    page = _page(client, reverse("facilities:list"))

    assert "Sổ đăng ký cơ sở SXCN" in page
    assert "Registry of industrial facilities" not in page


def test_dashboard_stays_vietnamese(client, official):
    client.force_login(official)

    page = _page(client, reverse("reports:dashboard"), {"year": YEAR})

    assert f"Chỉ tiêu Kế hoạch SXSH năm {YEAR}" in page
    assert "CP Plan indicators" not in page


def test_login_page_stays_vietnamese(client):
    page = _page(client, reverse("accounts:login"))

    assert _lang(page) == "vi"
    assert '<h1 class="h3 mb-3">Đăng nhập</h1>' in page
    assert "Tên đăng nhập" in page
    assert "Sign in" not in page


def test_django_blank_choice_is_vietnamese(client, staff):
    """Django 6.1's '- Select an option -' has no Vietnamese translation of its own."""
    client.force_login(staff)

    page = _page(client, reverse("facilities:create"))

    assert "— Chọn —" in page
    assert "Select an option" not in page


def test_django_password_length_message_is_vietnamese(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "x", "new_password1": "Ng4n!", "new_password2": "Ng4n!"},
    )

    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page
    assert "too short" not in page


# --- The catalogues ---------------------------------------------------------------------------


def _entries(path):
    """The entries of a .po file as dicts of msgctxt/msgid/msgid_plural/msgstr/msgstr[n] plus
    the set of flags; obsolete (#~) entries under the key "obsolete"."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith(("#,", "#~"))):
            continue
        if line.startswith("#~"):
            if entry is None or "obsolete" not in entry:
                finish()
                entry, key = {"flags": set(), "obsolete": True}, None
            continue
        if line.startswith("#,"):
            if entry is not None and "msgid" in entry:
                finish()
                entry = None
            entry = entry or {"flags": set()}
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key, value = match.groups()
            if key in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
                finish()
                entry = None
            entry = entry or {"flags": set()}
            entry[key] = ast.literal_eval(value)
        else:
            assert line.startswith('"'), f"{path}: cannot parse {raw!r}"
            entry[key] += ast.literal_eval(line)
    finish()
    return entries


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.parts[-3:]))
def test_catalogue_is_complete(path):
    entries = _entries(path)
    header = [e for e in entries if e.get("msgid") == ""]
    assert len(header) == 1 and "fuzzy" not in header[0]["flags"]
    language = path.parts[-3]
    assert f"Language: {language}\n" in header[0]["msgstr"]

    messages = [e for e in entries if e.get("msgid")]
    assert messages
    assert not [e for e in entries if e.get("obsolete")], "obsolete (#~) entries"
    assert not [e["msgid"] for e in messages if "fuzzy" in e["flags"]], "fuzzy entries"
    for e in messages:
        forms = [v for k, v in e.items() if k.startswith("msgstr")]
        assert forms and all(form.strip() for form in forms), f"untranslated: {e['msgid']!r}"
        if "msgid_plural" in e:
            expected = 2 if language == "en" else 1
            assert len(forms) == expected, f"plural forms of {e['msgid']!r}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.parts[-3:]))
def test_compiled_catalogue_matches_the_po_file(path):
    """The committed .mo file is compiled from the current .po file (compilemessages)."""
    with path.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    for e in _entries(path):
        if not e.get("msgid"):
            continue
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            for name, value in e.items():
                if name.startswith("msgstr["):
                    assert catalog[(key, int(name[7:-1]))] == value
        else:
            assert catalog[key] == e["msgstr"], f"{e['msgid']!r} is not compiled"


APP_DIRS = ("core", "accounts", "facilities", "assessments", "reports", "ops", "sxsh_portal")
# The names makemessages (xgettext) looks for; a translation function imported under any other
# name is invisible to it, so its strings never reach the catalogue and stay Vietnamese in English.
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
GETTEXT_FUNCTIONS = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}


def test_translation_functions_keep_names_makemessages_knows():
    root = Path(settings.BASE_DIR)
    aliases = []
    for app in APP_DIRS:
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    aliases += [
                        f"{path.relative_to(root)}: {alias.name} as {alias.asname}"
                        for alias in node.names
                        if alias.name in GETTEXT_FUNCTIONS
                        and (alias.asname or alias.name) not in GETTEXT_NAMES
                    ]
    assert not aliases


# Django's filters that write numbers in the active language's notation ("1,234.5" on an English
# page); the portal writes them the Vietnamese way in every language (core.numbers, `vnd` tags).
LOCALE_NUMBER_FILTERS = re.compile(
    r"\{% load [^%]*\bhumanize\b|\|(intcomma|floatformat|filesizeformat|localize)\b"
)


def test_templates_write_numbers_the_vietnamese_way_in_every_language():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in (root / "templates").rglob("*.html")
        for match in LOCALE_NUMBER_FILTERS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found
