"""Every HTML page of the portal, for every role, in both languages (DESIGN §1, issue 16):

- Vietnamese unless the user picked English — also when the browser asks for English
  (Accept-Language: en): no common English UI word left untranslated in the visible text;
- English after the language switcher: no visible text with Vietnamese letters other than the
  data the test created (names, addresses, places, VSIC names, …: every text stored in the
  portal's tables, except the indicators' Vietnamese names, which have an English twin);
- numbers in Vietnamese pages written the Vietnamese way (1.234.567,5; 60,7 %), never
  1,234,567.5 or 60.7 %.

The pages come from the URL resolver (tests/security/routes.py), so a new page is walked too."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import Role
from assessments.models import Participation
from core.audit import target_text
from core.models import AuditEvent
from reports.models import Report

from .factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    FacilityFactory,
    OptionFactory,
    UserFactory,
)
from .reports.report_view_helpers import make_report
from .security.conftest import make_records
from .security.routes import all_routes
from .security.test_idor_matrix import MATRIX

pytestmark = pytest.mark.django_db

YEAR = 2018

# Not HTML pages, or no page at all: files, JSON, redirects and POST-only actions.
SKIPPED = {
    "favicon",
    "set_language",
    "javascript-catalog",
    "healthz",
    "accounts:logout",
    "accounts:password_reset_confirm",  # a sample token: a redirect to the "invalid link" page
}

# Query strings that make a page show its content rather than its empty state.
QUERIES = {
    "reports:dashboard": {"year": YEAR},
    "reports:sector_scores": {"year": YEAR},
    "reports:facility_intensity": {"year": YEAR},
    "assessments:missing_reports": {"year": YEAR},
    "assessments:report_list": {"year": YEAR},
}

# More states of some pages: every grouping of the dashboard, a second page of a list, a list
# filtered by a value it refuses, a record that does not exist (the 404 page).
GROUPS = ("province", "old_district", "old_province", "ward", "sector", "key_energy_user")
EXTRA = [
    *(("reports:dashboard", f"?year={YEAR}&group={group}") for group in GROUPS),
    ("facilities:list", "?page=2"),
    ("assessments:report_list", "?page=2"),
    ("facilities:list", "?established_year_from=abc&size=huge"),
    ("assessments:report_list", "?year=abc"),
    ("reports:dashboard", "?year=1990"),
]

VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
)
# Vietnamese written on purpose in English pages: the language's own name in the switcher, and
# words a user must type or find as written (a worksheet's name, the signature titles of a
# document, the values a spreadsheet column accepts).
KNOWN_VIETNAMESE = ["Tiếng Việt", "“Hướng dẫn”", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "có/không"]
# English written on purpose in Vietnamese pages: values a spreadsheet column accepts.
KNOWN_ENGLISH = ["yes/no", "true/false"]
# Common English words of a user interface, as whole words (case as written).
ENGLISH = re.compile(
    r"\b(?:the|The|and|of|Save|Delete|Cancel|Search|Next|Previous|Page|Download|Yes|No|None|"
    r"required|This field|Submit|Edit|Back|Close|Loading|Error|Filter|Total|Name|Year|Status|"
    r"Actions?|Show|Hide|Unknown|Sign in|Sign out|Log in|Log out|Home|Dashboard|Reports?|"
    r"Facility|Facilities|Select|Choose|Upload|Print|View|Details?|Confirm|Add|New|Create|"
    r"Update|Remove|Clear|Help|Settings|Password|Username|Email|Invalid|Enter|Please|"
    r"Previous|First|Last|Today|Missing|empty|true|false|True|False)\b"
)
# 1,234,567 or 1,234.5 or 12.5 % in a Vietnamese page (1.234,5 and 12,5 % are right), and a
# percentage with more than the one decimal of DESIGN §4 (8,00 %).
ENGLISH_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+\s?%)(?![\d])"
    r"|\d,\d{2,}\s?%"
)


class _VisibleText(HTMLParser):
    """Text nodes outside <script>, <style> and <template>, plus placeholders and the labels of
    buttons given as attributes (what a user reads)."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []
        self.values: list[str] = []  # what the form fields hold

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        for name in ("placeholder", "aria-label", "title"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("value"):
            if attrs.get("type") in ("submit", "button"):
                self.texts.append(attrs["value"])
            elif attrs.get("type", "text") in ("text", "number"):
                self.values.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str, *, values: bool = False) -> list[str]:
    """The visible text of a page; with `values`, the values of its form fields too (a Vietnamese
    name being edited on an English page is data; a number a form shows must read as in vi)."""
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts + parser.values if values else parser.texts


def data_strings() -> list[str]:
    """Every text stored in the portal's tables (the data shown as entered), longest first; the
    indicators' Vietnamese names are left out: an English page shows their English twin."""
    values = set()
    for label in ("accounts", "facilities", "assessments", "reports", "core"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField))
                and not (model._meta.label == "reports.Indicator" and f.name == "name_vi")
            ]
            if not fields:
                continue
            for row in model.objects.values_list(*fields):
                for value in row:
                    for text in [value or "", *(value or "").splitlines()]:
                        # Words, not codes: a VSIC code "13" is no reason to skip "13,00 %".
                        if len(text.strip()) > 2 and re.search(r"[^\W\d_]", text):
                            values.add(text.strip())
    # An audit entry's target is stored as "<model> #<pk> <name>"; the log page shows the name.
    for target in AuditEvent.objects.values_list("target", flat=True):
        name = target_text(target)[1]
        if len(name) > 2:
            values.add(name)
    return sorted(values, key=len, reverse=True)


def _without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


# --- the data -------------------------------------------------------------------------------------


@pytest.fixture
def portal(facility, staff):
    """A facility with reports of every state, large figures (so that thousands separators and
    decimals show), an assessment with options, an activity, reference data and report files."""
    from assessments.models import (
        ConversionFactor,
        GridEmissionFactor,
        LibraryExample,
        PlanPeriod,
    )
    from facilities.models import ImportJob, IndustrialArea
    from reports.models import Indicator

    facility.revenue_bn_vnd = Decimal("1234.5")
    facility.capital_bn_vnd = Decimal("987.25")
    facility.employees = 1250
    facility.save()
    records = make_records(facility)
    AnnualReportFactory(
        facility=facility,
        year=2017,
        output=Decimal("1234567.5"),
        electricity_kwh=Decimal("2345678.9"),
        coal_t=Decimal("1234.5"),
        water_m3=Decimal("45678.25"),
        aware=True,
        applies_cp=True,
        has_cp_unit=True,
    )
    AnnualReportFactory(
        facility=facility,
        year=2016,
        output=Decimal("1234567.5"),
        electricity_kwh=Decimal("2845678.9"),
        coal_t=Decimal("1534.5"),
        aware=True,
    )
    # More than a page of facilities and reports (25 a page): the pagination shows.
    others = [FacilityFactory(employees=300 + n) for n in range(27)]
    for n, other in enumerate(others):
        AnnualReportFactory(
            facility=other,
            year=YEAR,
            output=Decimal(2500 + n),
            electricity_kwh=Decimal(1_500_000 + 1000 * n),
            aware=n % 2 == 0,
        )
    approved = AssessmentFactory(facility=facility, state="approved")
    OptionFactory(
        assessment=approved,
        investment_vnd=1_234_567_890,
        annual_saving_vnd=345_678_900,
        implementation_year=2017,
    )
    activity = ActivityFactory(date=records["activity"].date)
    Participation.objects.create(activity=activity, facility=others[0], people=12)
    job = ImportJob.objects.create(
        file_path="imports/danh_sach.csv",
        original_name="danh_sach.csv",
        state="validated",
        requested_by=staff,
    )
    indicator = Indicator.objects.first()
    records.update(
        {
            "user": UserFactory(username="coso_moi", role=Role.FACILITY),
            "job": job,
            "area": IndustrialArea.objects.create(name="KCN Quế Võ", kind="kcn"),
            "factor": ConversionFactor.objects.first(),
            "grid": GridEmissionFactor.objects.first(),
            "example": LibraryExample.objects.create(
                division="23",
                category=4,
                description="Thay lò gạch thủ công bằng lò tuynel",
                source="Sổ tay SXSH ngành gạch – VNCPC",
            ),
            "library_option": OptionFactory(),
            "period": PlanPeriod.objects.first(),
            "indicator": indicator,
            "file": make_report(by=staff),
            "queued_file": make_report(state=Report.State.QUEUED, by=staff),
        }
    )
    return records


# URL name -> the record (a key of `portal`) its int parameter names; others get 1 or the year.
RECORD = {
    # The pages of one facility's records (the IDOR matrix's), the detail with its approved report.
    **MATRIX,
    "assessments:report_detail": "report_approved",
    "accounts:user_two_factor_reset": "user",
    "accounts:user_send_link": "user",
    "accounts:user_tokens": "user",
    "facilities:import_job": "job",
    "facilities:import_job_progress": "job",
    "facilities:import_job_confirm": "job",
    "facilities:area_edit": "area",
    "facilities:area_delete": "area",
    "assessments:factor_edit": "factor",
    "assessments:grid_factor_edit": "grid",
    "assessments:library_example_edit": "example",
    "assessments:library_example_visibility": "example",
    "assessments:library_option_visibility": "library_option",
    "reports:period_edit": "period",
    "reports:indicator_create": "period",
    "reports:indicator_edit": "indicator",
    "reports:indicator_values": "indicator",
    "reports:indicator_milestones": "indicator",
    "reports:detail": "file",
    "reports:progress": "queued_file",
    "reports:download": "file",
    "reports:delete": "file",
    "reports:issue": "file",
}


def page_urls(records) -> list[tuple[str, str]]:
    urls = []
    for route in all_routes():
        if route.pattern.startswith(("api/", "admin/")) or route.name in SKIPPED:
            continue
        ints = {}
        for name in route.int_kwargs:
            record = records.get(RECORD.get(route.name, ""))
            ints[name] = YEAR if name == "year" else (record.pk if record else 1)
        url = route.path(**ints)
        if route.name == "reports:narrative":
            url = url.replace("/1/", "/year/")
        urls.append((route.name, url))
    urls += [(name, reverse(name) + query) for name, query in EXTRA]
    return urls + [("facilities:detail", reverse("facilities:detail", args=[999_999_999]))]


def walk(client, records, **headers) -> dict[str, str]:
    """name -> the HTML of every page that answers with HTML to this client (the 403 and 404
    pages included)."""
    pages = {}
    for name, url in page_urls(records):
        query = None if "?" in url else QUERIES.get(name)
        response = client.get(url, query, headers=headers)
        if response.status_code in (200, 403, 404) and response["Content-Type"].startswith(
            "text/html"
        ):
            pages[f"{name} {url}"] = response.content.decode()
    return pages


# Form pages sent back empty, to see their error messages (never a workflow step or a deletion).
FORM = re.compile(r"(create|edit|new|request|password_change|narrative|milestones|values)$")
NOT_POSTED = re.compile(r"(delete|submit|approve|return|reopen|issue|close|visibility|reset)")


def post_empty_forms(client, pages) -> dict[str, str]:
    """The pages of `pages` that hold a form, posted empty: those that answer with the form
    again (200) and its error messages."""
    answers = {}
    for page, html in pages.items():
        name, url = page.split(" ", 1)
        if not FORM.search(name) or NOT_POSTED.search(name) or 'method="post"' not in html:
            continue
        response = client.post(url, {})
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            answers[f"{page} (POST)"] = response.content.decode()
    return answers


def english_words(pages, data) -> list[str]:
    problems = []
    for page, html in pages.items():
        for text in visible_texts(html, values=True):
            found = ENGLISH.findall(_without_data(text, data + KNOWN_ENGLISH))
            if found:
                problems.append(f"{page}: {found} in {text[:120]!r}")
    return problems


def english_numbers(pages) -> list[str]:
    problems = []
    for page, html in pages.items():
        for text in visible_texts(html, values=True):
            found = ENGLISH_NUMBER.findall(text)
            if found:
                problems.append(f"{page}: {found} in {text[:120]!r}")
    return problems


def vietnamese_texts(pages, data) -> list[str]:
    problems = []
    for page, html in pages.items():
        for text in visible_texts(html):
            if VIETNAMESE.search(text) and VIETNAMESE.search(
                _without_data(text, data + KNOWN_VIETNAMESE)
            ):
                problems.append(f"{page}: {text[:160]!r}")
    return problems


def _report(problems) -> str:
    unique = list(dict.fromkeys(problems))
    return f"{len(unique)} problems:\n" + "\n".join(unique[:200])


@pytest.fixture
def ministry(settings, db):
    """The Ministry in a national installation (DESIGN §2): reads every province."""
    settings.PORTAL_SCOPE = "national"
    return UserFactory(username="bo_cong_thuong", role=Role.MINISTRY, full_name="Hoàng Văn Bộ")


ROLES = ["staff", "official", "facility_user", "ministry"]
MINIMUM_PAGES = {"staff": 80, "official": 25, "facility_user": 15, "ministry": 20}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_both_languages(client, request, portal, role):
    client.force_login(request.getfixturevalue(role))
    data = data_strings()

    vietnamese = walk(client, portal)
    asked_for_english = walk(client, portal, accept_language="en")
    assert len(vietnamese) > MINIMUM_PAGES[role]
    assert asked_for_english.keys() == vietnamese.keys()
    vietnamese.update(post_empty_forms(client, vietnamese))
    # What the walks wrote meanwhile (a download's audit entry, shown on the audit log) is data.
    data = data_strings()

    problems = english_words(vietnamese, data) + english_words(asked_for_english, data)
    problems += english_numbers(vietnamese)

    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    english = walk(client, portal)
    assert english.keys() == asked_for_english.keys()
    english.update(post_empty_forms(client, english))
    problems += vietnamese_texts(english, data)

    assert not problems, _report(problems)


# --- the charts -----------------------------------------------------------------------------------

CHART_PASSWORD = "Bieu-do-2026!"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chart_numbers_are_vietnamese_in_an_english_browser(browser, live_server, facility):
    """Chart.js writes numbers in the browser's language unless told: in a browser set to
    English, the Vietnamese pages' charts still write 6,8 and 0,06, not 6.8 and 0.06."""
    for year, coal in ((2016, "130"), (2017, "120"), (2018, "110")):
        AnnualReportFactory(facility=facility, year=year, output=1000, coal_t=Decimal(coal))
    UserFactory(username="canbo_bieudo", role=Role.STAFF, password=CHART_PASSWORD)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "canbo_bieudo")
    page.fill("#id_password", CHART_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    charts = {
        reverse("reports:facility_intensity", args=[facility.pk]): "#intensity-chart",
        reverse("reports:dashboard") + f"?year={YEAR}": "canvas.trend-chart",
    }
    labels = []
    for url, selector in charts.items():
        page.goto(live_server.url + url)
        labels += page.eval_on_selector_all(
            selector,
            """canvases => canvases.map(c => Chart.getChart(c)).flatMap(chart =>
                chart.data.datasets.map(set => set.label).concat(Object.values(chart.scales)
                    .flatMap(scale => scale.ticks.map(t => t.label))))""",
        )
    context.close()

    english = [label for label in labels if re.search(r"\d\.\d|\d,\d{3}\b", str(label))]
    assert english == []
    assert any(re.search(r"\d,\d", str(label)) for label in labels)  # decimals were drawn
