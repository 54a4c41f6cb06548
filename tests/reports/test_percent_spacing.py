"""A percentage is written with a space before the sign, the Vietnamese way the portal uses
everywhere (DESIGN §5: "60,7 %"): never "23,3%" — on the pages (a facility's progress, its
intensity, the dashboard, the indicator lists, the help page, a document's progress) nor in the
texts the scripts write (static/js)."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Report

from .indicator_helpers import YEAR, report
from .report_view_helpers import make_report

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# A number (or a template value) glued to its per cent sign.
GLUED = re.compile(r"\d%")
# Print layouts changed separately: templates/reports/progress_pdf.html still writes
# "{{ target }}%" (its owner's fix to come); every other template is scanned.
NOT_SCANNED = {"reports/progress_pdf.html"}


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts nor styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def assert_spaced(page: str):
    text = visible_text(page)
    glued = [text[max(0, m.start() - 40) : m.end() + 10] for m in GLUED.finditer(text)]
    assert not glued, glued


@pytest.fixture
def saving_facility(facility):
    """Three approved years with a falling energy intensity (a fall to show, in per cent)."""
    for year, coal in ((YEAR - 2, 100), (YEAR - 1, 95), (YEAR, 88)):
        report(facility, year, coal_t=Decimal(coal), aware=True, applies_cp=True)
    return facility


def test_the_progress_page_writes_the_fall_with_a_space(client, staff, saving_facility):
    client.force_login(staff)
    page = client.get(reverse("reports:facility_progress", args=[saving_facility.pk])).text
    fall = re.search(r'id="progress-fall">([^<]*)<', page).group(1)
    assert re.fullmatch(r"\d+,\d %", fall), fall
    assert_spaced(page)


@pytest.mark.parametrize(
    ("name", "args", "query"),
    [
        ("reports:facility_intensity", "facility", {}),
        ("reports:dashboard", None, {"year": YEAR}),
        ("reports:indicator_facilities", ["SAVING_PCT", YEAR, "numerator"], {}),
    ],
)
def test_pages_with_percentages_write_them_with_a_space(
    client, staff, saving_facility, name, args, query
):
    client.force_login(staff)
    args = [saving_facility.pk] if args == "facility" else args
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    assert "%" in visible_text(response.text)  # the page does show a percentage
    assert_spaced(response.text)


def test_the_help_page_writes_its_percentages_with_a_space(client, official):
    # The saving indicator's rule and the quality rules' thresholds. (The benchmark bands'
    # "nhóm 25%" come from assessments/benchmark.py, outside the templates.)
    client.force_login(official)
    page = client.get(reverse("reports:help")).text
    saving = re.search(r'<dt id="SAVING_PCT".*?</dd>', page, re.S).group(0)
    assert "%" in visible_text(saving)
    assert_spaced(saving)
    row = re.search(r'id="help-rule-INTENSITY_JUMP".*?</tr>', page, re.S).group(0)
    assert re.search(r"\d+(,\d+)? %", visible_text(row)), visible_text(row)
    assert_spaced(row)


def test_a_document_in_progress_shows_its_percentage_with_a_space(client, staff):
    document = make_report(state=Report.State.RUNNING, by=staff)
    Report.objects.filter(pk=document.pk).update(progress=45)
    client.force_login(staff)
    page = client.get(reverse("reports:detail", args=[document.pk])).text
    percent = re.search(r'class="report-percent[^"]*">([^<]*)<', page).group(1)
    assert percent == "45 %"
    assert_spaced(page)


def test_no_template_glues_a_number_to_its_per_cent_sign():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path.relative_to(ROOT / "templates").as_posix() in NOT_SCANNED:
            continue
        source = re.sub(r'style="[^"]*"', "", path.read_text(encoding="utf-8"))
        source = re.sub(r"<style.*?</style>", "", source, flags=re.S)
        # "{{ x }}%", "8%" and "{% endif %}%" (a sign after a tag); CSS widths are left out.
        found += [
            f"{path.name}: …{source[max(0, m.start() - 30) : m.end()]}"
            for m in re.finditer(r"(?:\}\}|\d|%\})%", source)
        ]
    assert not found, found


def test_the_scripts_write_percentages_with_a_space():
    """The progress scripts rewrite "45 %" as a document or an import advances; a bar's CSS
    width ("45%") is not text."""
    found = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""["'`]%["'`]""", line) and ".style." not in line:
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, found
    progress = (ROOT / "static" / "js" / "report-progress.js").read_text(encoding="utf-8")
    assert '.textContent = percent + " %"' in progress
