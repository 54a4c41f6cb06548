"""The one-page summary "Kết quả thực hiện SXSH của cơ sở" of a facility's progress (issue 17
point 3), rendered by WeasyPrint with the report's vendored Times-metric font (`pdf.font_urls`).
Built on request: one page takes well under a second. Numbers in Vietnamese notation."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.numbers import format_amount

from ..progress import FacilityProgress
from .issuer import heading
from .numbers import NO_VALUE, fmt_decimal, fmt_int, fmt_pct
from .pdf import breakable, font_urls

TEMPLATE = "reports/progress_pdf.html"
INTENSITY_PLACES = 6
# What `breakable` wraps a long token in may break anywhere (the annual PDF's stylesheet, in
# templates/reports/report_pdf.html, says the same): it wraps at the margin or within its table
# column instead of running off the page, where its end would be lost.
LONG_TOKENS = ".long { overflow-wrap: anywhere; }"


def progress_pdf(progress: FacilityProgress, day: date | None = None) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # A long token (a name typed without spaces) wraps at the margin, as in the annual PDF.
    html = breakable(render_to_string(TEMPLATE, context(progress, day or timezone.localdate())))
    long_tokens = CSS(string=LONG_TOKENS)
    return HTML(string=html).write_pdf(stylesheets=[long_tokens], font_config=FontConfiguration())


def context(progress: FacilityProgress, day: date) -> dict:
    facility = progress.facility
    return {
        "facility": facility,
        "heading": heading(day),
        "generated": day.strftime("%d/%m/%Y"),
        "fonts": font_urls(),
        "target": fmt_decimal(progress.target_pct, 0),
        "baseline_year": progress.baseline_year,
        "years": [_year(row, progress) for row in progress.years],
        "options": [_option(number, effect) for number, effect in _numbered(progress)],
        "totals": {
            "investment": fmt_int(progress.investment_vnd),
            "saving": fmt_int(progress.saving_vnd),
            "toe": fmt_decimal(progress.toe_saved, 2),
            "tco2": fmt_decimal(progress.tco2_avoided, 1),
        },
    }


def _numbered(progress: FacilityProgress):
    return enumerate(progress.done_options, start=1)


def _year(row, progress: FacilityProgress) -> dict:
    return {
        "year": row.year,
        "baseline": row.year == progress.baseline_year,
        # As the progress page writes it (`vn_amount`): the decimals the figure has, up to 3.
        "output": NO_VALUE if row.output is None else format_amount(row.output),
        "unit": row.unit,
        "intensity": fmt_decimal(row.intensity, INTENSITY_PLACES),
        "fall": NO_VALUE if row.fall_pct is None else fmt_pct(row.fall_pct),
        "reaches": row.reaches_target,
        "score": NO_VALUE if row.score is None else str(row.score),
        "band": row.band or _("chưa có điểm (cần ít nhất 10 cơ sở cùng ngành, cùng đơn vị)"),
    }


def _option(number: int, effect) -> dict:
    option = effect.option
    return {
        "number": number,
        "category": option.get_category_display(),
        "description": option.description,
        "year": option.implementation_year or NO_VALUE,
        "investment": fmt_int(option.investment_vnd),
        "saving": fmt_int(option.annual_saving_vnd),
        "toe": fmt_decimal(effect.toe, 2),
        "tco2": fmt_decimal(effect.tco2, 1),
    }
