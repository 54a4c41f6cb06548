"""Whether a facility may still file an annual report (report_forms.open_report_years): the
"Lập báo cáo năm" buttons of the facility page and of a facility user's report list."""

from django import template

from .. import report_forms

register = template.Library()


@register.filter
def may_file_report(facility) -> bool:
    """Whether `facility` has a year left to file (two queries: for one facility's page)."""
    return bool(report_forms.open_report_years(facility))


@register.simple_tag
def with_open_report_years(facilities) -> list:
    """`facilities` (a list's), each given `open_report_years`, in two queries in all."""
    return report_forms.with_open_report_years(facilities)
