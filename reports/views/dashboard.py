"""The indicator dashboard, the facilities behind each number, and the help page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.access import staff_or_official_required
from core.pagination import paginate

from .. import indicators as ind
from ..dashboard_charts import chart_years, dashboard_chart_data
from ..forms import DashboardYearForm, FacilityScopeForm

PAGE_SIZE = 25
# The first column of the table of groups.
GROUP_COLUMNS = {
    ind.Grouping.OLD_DISTRICT: _("Huyện, thị xã, thành phố (trước 2025)"),
    ind.Grouping.OLD_PROVINCE: _("Tỉnh, thành phố (trước 2025)"),
    ind.Grouping.WARD: _("Xã, phường (từ 1/7/2025)"),
    ind.Grouping.SECTOR: _("Ngành (VSIC cấp 2)"),
    ind.Grouping.HIGH_POLLUTION_RISK: _("Nhóm"),
    ind.Grouping.KEY_ENERGY_USER: _("Nhóm"),
}


@login_required
def dashboard(request):
    # Facility users see their own facility's page instead (DESIGN §2: no province figures).
    if request.user.is_facility_user:
        return redirect("reports:my_facility")
    return _dashboard(request)


@staff_or_official_required
def _dashboard(request):
    years = ind.plan_years()
    asked = "year" in request.GET or "group" in request.GET
    form = DashboardYearForm(request.GET if asked else None, years=years)
    if form.is_bound and not form.is_valid():
        if "year" in form.errors:
            return render(request, "reports/bad_year.html", {"years": years}, status=400)
        return render(request, "reports/bad_scope.html", {"form": form}, status=400)
    year = (form.cleaned_data["year"] if form.is_bound else None) or ind.default_year()
    if year is None:
        return render(request, "reports/dashboard_empty.html")
    # The table of groups: the chosen grouping, else the place grouping of the year.
    chosen = form.cleaned_data["group"] if form.is_bound else ""
    grouping = chosen or ind.default_grouping(year)
    form = DashboardYearForm(initial={"year": year, "group": chosen}, years=years)
    period = ind.period_for(year)
    # The chosen year and the whole period's trend in one computation.
    by_year = ind.compute_years([year, *chart_years(period)], period=period)
    results = by_year[year]
    establishments, coverage = ind.registry_coverage(year, results.operating)
    context = {
        "reporting": ind.reporting_for(year, results.operating),
        "establishments": establishments,
        "coverage": coverage,
        "form": form,
        "year": year,
        "results": results,
        "grouping": grouping,
        "grouping_label": ind.Grouping(grouping).label,
        "groupings": ind.Grouping.choices,
        "group_rows": results.groups.get(grouping, []),
        "group_column": GROUP_COLUMNS[grouping],
        "priority_rows": _priority_rows(results),
        "chart_data": dashboard_chart_data(results, by_year, grouping),
    }
    return render(request, "reports/dashboard.html", context)


def _priority_rows(results) -> list:
    """The priority groups (DESIGN §4): the high-pollution-risk facilities and the key energy
    users, each with its grouping (for the links to its facilities)."""
    rows = []
    for grouping in ind.FLAG_GROUPINGS:
        row = next((r for r in results.groups.get(grouping, []) if r.key == "true"), None)
        rows.append((ind.Grouping(grouping).label, grouping, row))
    return rows


@staff_or_official_required
def indicator_facilities(request, code, year, part):
    if (code, part) not in ind.FACILITY_CONDITIONS:
        raise Http404
    scope = FacilityScopeForm(request.GET)
    if not scope.is_valid():
        return render(request, "reports/bad_scope.html", {"form": scope}, status=400)
    district, division = scope.cleaned_data["district"], scope.cleaned_data["division"]
    grouping, key = scope.cleaned_data["group"] or None, scope.cleaned_data["key"] or None
    facilities = ind.indicator_facilities(
        code,
        year,
        part,
        grouping=grouping,
        key=key,
        district=district.pk if district else None,
        division=division,
    ).select_related("commune__parent", "ward", "industry")
    context = {
        **paginate(request, facilities.order_by("name", "id"), PAGE_SIZE),
        "code": code,
        "year": year,
        "part": part,
        "district": district,
        "division": division,
        "group": _group_named(grouping, key) if grouping else None,
        "indicator": ind.indicator_for(code, year),
        "saving": code == ind.SAVING,
    }
    return render(request, "reports/indicator_facilities.html", context)


def _group_named(grouping: str, key: str) -> dict:
    """The grouping's label and the group's name, for the list's heading (one query or none)."""
    return {
        "value": grouping,
        "grouping": ind.Grouping(grouping).label,
        "key": key,
        "name": ind.group_name(grouping, key),
    }


@login_required
def help_page(request):
    return render(request, "reports/help.html", {"reach_pct": ind.SAVING_REACH_PCT})
