"""Small SVG charts for the PDF report, drawn here so no chart library or browser is needed.

Every function returns an `<svg>` string sized in CSS pixels; WeasyPrint renders it inline.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .numbers import fmt_decimal

FONT = "font-family:'LiberationSerif', serif"
BAR = "#2e7d32"
BAR_MISSED = "#c62828"
TARGET = "#1565c0"
GRID = "#cccccc"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    target_low: Decimal | None = None
    target_high: Decimal | None = None


def _with_unit(number: str, unit: str) -> str:
    """ "60,7 %", as the tables of the same document write it (DESIGN §5)."""
    return f"{number} {unit}" if unit else number


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"{''.join(body)}</svg>"
    )


def _text(x, y, content, *, size=10, anchor="start", weight="normal", fill="#000") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" style="{FONT};font-size:{size}px;font-weight:{weight}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(str(content))}</text>'
    )


def _scale_max(values: list[Decimal | None], targets: list[Decimal | None]) -> Decimal:
    numbers = [v for v in [*values, *targets] if v is not None]
    top = max(numbers, default=Decimal(0))
    return Decimal(100) if top <= 100 else top * Decimal("1.1")


def bar_chart(bars: list[Bar], *, title: str, unit: str = "%", width: int = 600) -> str:
    """Horizontal bars with their value, and the target (a line, or a band for a range)."""
    label_w, value_w, row_h, top = 250, 50, 22, 24
    plot_w = width - label_w - value_w
    height = top + row_h * max(len(bars), 1) + 24
    maximum = _scale_max([b.value for b in bars], [b.target_high or b.target_low for b in bars])
    body = [_text(0, 14, title, size=11, weight="bold")]
    body += _grid(label_w, plot_w, top, height - 24, maximum, unit)
    for index, bar in enumerate(bars):
        y = top + index * row_h
        body += _bar_row(bar, y, row_h, label_w, plot_w, maximum, unit)
    return _svg(width, height, body, title)


def _grid(left, plot_w, top, bottom, maximum, unit) -> list[str]:
    parts = []
    for step in range(5):
        value = maximum * step / 4
        x = left + plot_w * step / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="0.5"/>'
        )
        parts.append(
            _text(x, bottom + 12, _with_unit(fmt_decimal(value, 0), unit), size=8, anchor="middle")
        )
    return parts


def _bar_row(bar: Bar, y, row_h, left, plot_w, maximum, unit) -> list[str]:
    parts = [_text(left - 6, y + row_h * 0.65, _shorten(bar.label), size=9, anchor="end")]
    if bar.value is not None:
        length = float(Decimal(plot_w) * max(bar.value, Decimal(0)) / maximum)
        missed = bar.target_low is not None and bar.value < bar.target_low
        colour = BAR_MISSED if missed else BAR
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"/>'
        )
        label = _with_unit(fmt_decimal(bar.value), unit)
        parts.append(_text(left + length + 4, y + row_h * 0.65, label, size=9))
    else:
        parts.append(_text(left + 4, y + row_h * 0.65, "–", size=9))
    parts += _target_marks(bar, y, row_h, left, plot_w, maximum)
    return parts


def _target_marks(bar: Bar, y, row_h, left, plot_w, maximum) -> list[str]:
    if bar.target_low is None:
        return []
    x_low = left + float(Decimal(plot_w) * bar.target_low / maximum)
    if bar.target_high is not None:
        x_high = left + float(Decimal(plot_w) * bar.target_high / maximum)
        return [
            f'<rect x="{x_low:.1f}" y="{y + 1}" width="{x_high - x_low:.1f}" '
            f'height="{row_h - 2}" fill="{TARGET}" fill-opacity="0.2"/>'
        ]
    return [
        f'<line x1="{x_low:.1f}" y1="{y + 1}" x2="{x_low:.1f}" y2="{y + row_h - 1}" '
        f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="3,2"/>'
    ]


def _shorten(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def line_chart(
    years: list[int],
    values: list[Decimal | None],
    *,
    title: str,
    target_low: Decimal | None = None,
    target_high: Decimal | None = None,
    unit: str = "%",
    width: int = 300,  # two side by side fit the 165 mm text width (623 CSS px)
    height: int = 180,
) -> str:
    """The trend of one indicator over the years, with its target as a line or a band."""
    left, right, top, bottom = 40, 12, 28, height - 22
    maximum = _scale_max(values, [target_high or target_low])
    plot_w, plot_h = width - left - right, bottom - top

    def x_of(index: int) -> float:
        return left + (plot_w * (index + 0.5) / max(len(years), 1))

    def y_of(value) -> float:
        return bottom - float(Decimal(plot_h) * Decimal(value) / maximum)

    body = [_text(0, 14, title, size=10, weight="bold")]
    body += _y_axis(left, width - right, y_of, maximum, unit)
    body += _target_band(left, plot_w, y_of, target_low, target_high)
    points = [(x_of(i), y_of(v), v) for i, v in enumerate(values) if v is not None]
    # A year without a value (an indicator measured on the year's own reports, none approved:
    # `reports.indicators.judged_figure`) is a gap:
    # the line stops before it and resumes after, never drawn through it.
    for segment in _runs(values):
        if len(segment) > 1:
            path = " ".join(f"{x_of(i):.1f},{y_of(values[i]):.1f}" for i in segment)
            body.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for index, value in enumerate(values):
        if value is None:
            body.append(_text(x_of(index), bottom - 4, "–", size=8, anchor="middle"))
    for x, y, value in points:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}"/>')
        body.append(_text(x, y - 6, fmt_decimal(value), size=8, anchor="middle"))
    for index, year in enumerate(years):
        body.append(_text(x_of(index), bottom + 14, year, size=8, anchor="middle"))
    return _svg(width, height, body, title)


def _runs(values: list) -> list[list[int]]:
    """The indexes of `values` in runs of consecutive values that are not None."""
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _y_axis(left, right_x, y_of, maximum, unit) -> list[str]:
    parts = []
    for step in range(5):
        value = maximum * step / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right_x}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="0.5"/>'
        )
        label = _with_unit(fmt_decimal(value, 0), unit)
        parts.append(_text(left - 4, y + 3, label, size=8, anchor="end"))
    return parts


def _target_band(left, plot_w, y_of, low, high) -> list[str]:
    if low is None:
        return []
    if high is None:
        y = y_of(low)
        return [
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4,3"/>'
        ]
    y_high, y_low = y_of(high), y_of(low)
    return [
        f'<rect x="{left}" y="{y_high:.1f}" width="{plot_w}" height="{y_low - y_high:.1f}" '
        f'fill="{TARGET}" fill-opacity="0.15"/>'
    ]
