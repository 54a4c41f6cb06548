"""The indicator dashboard, the facilities behind each number, and the help page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import staff_or_official_required
from assessments import benchmark
from assessments.models import QualityRule
from assessments.quality_rules import RULE_THRESHOLDS, THRESHOLD_UNITS
from core.collation import vietnamese
from core.pagination import paginate
from facilities.filters import ProvinceParamForm
from facilities.territory import territory_name

from .. import facts
from .. import indicators as ind
from ..dashboard_charts import chart_years, dashboard_chart_data
from ..figures import SAVING, SAVING_REACH_PCT
from ..forms import DashboardYearForm, FacilityScopeForm, requestable_years
from ..groupings import FLAG_GROUPINGS, Grouping, default_grouping, group_name
from ..reporting import (
    establishment_counts_apply,
    registry_coverage,
    reporting_by_province,
    reporting_for,
)

PAGE_SIZE = 25
# The first column of the table of groups.
GROUP_COLUMNS = {
    Grouping.PROVINCE: _("Tỉnh, thành phố (từ 1/7/2025)"),
    Grouping.OLD_DISTRICT: _("Huyện, thị xã, thành phố (trước 2025)"),
    Grouping.OLD_PROVINCE: _("Tỉnh, thành phố (trước 2025)"),
    Grouping.WARD: _("Xã, phường (từ 1/7/2025)"),
    Grouping.SECTOR: _("Ngành (VSIC cấp 2)"),
    Grouping.HIGH_POLLUTION_RISK: _("Nhóm"),
    Grouping.KEY_ENERGY_USER: _("Nhóm"),
}


@login_required
def dashboard(request):
    # Facility users see their own facility's page instead (DESIGN §2: no province figures).
    if request.user.is_facility_user:
        return redirect("reports:my_facility")
    return _dashboard(request)


@staff_or_official_required
def _dashboard(request):
    # Up to this year: a future year's cumulative shares would read as targets already met.
    years = sorted(requestable_years())
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
    province, national, refused = _dashboard_province(request)
    if refused is not None:
        return render(request, "reports/bad_scope.html", {"form": refused}, status=400)
    chosen = form.cleaned_data["group"] if form.is_bound else ""
    # The Ministry's national view compares the provinces; any other, the year's places.
    grouping = chosen or (Grouping.PROVINCE if national else default_grouping(year))
    form = DashboardYearForm(initial={"year": year, "group": chosen}, years=years)
    # By province only where several are read (the Ministry's national view).
    groupings = [c for c in Grouping.choices if national or c[0] != Grouping.PROVINCE]
    form.fields["group"].choices = [("", form.fields["group"].choices[0][1]), *groupings]
    period = ind.period_for(year, province)
    # The chosen year with the groupings the page shows; the period's trend, totals only.
    shown = (grouping, *FLAG_GROUPINGS, *((Grouping.PROVINCE,) if national else ()))
    results = ind.compute_years([year], period=period, province=province, groupings=shown)[year]
    trend = [y for y in chart_years(period) if y != year]
    by_year = ind.compute_years(trend, period=period, province=province, grouped=False)
    by_year[year] = results
    establishments, coverage = registry_coverage(year, results.operating, province)
    context = {
        "province": province,
        "province_name": territory_name(province) if province else "",
        **_scope_links(request, province),
        "by_province": (
            reporting_by_province(year, results.groups.get(Grouping.PROVINCE, []))
            if national
            else None
        ),
        "reporting": reporting_for(results),
        "establishment_counts": establishment_counts_apply(),
        "establishments": establishments,
        "coverage": coverage,
        "form": form,
        "year": year,
        "results": results,
        # The manual indicators' cards: a link to their values page, or a hint (or nothing).
        "manual_entry": ind.manual_entry(request.user, results.period),
        "grouping": grouping,
        "grouping_label": Grouping(grouping).label,
        "groupings": groupings,
        "group_rows": results.groups.get(grouping, []),
        "group_column": GROUP_COLUMNS[grouping],
        "priority_rows": _priority_rows(results),
        "chart_data": dashboard_chart_data(results, by_year, grouping),
    }
    return render(request, "reports/dashboard.html", context)


def _scope_links(request, province) -> dict:
    """The Ministry's drill-down into one province keeps `?province=` on the page's links."""
    drill_down = province is not None and request.user.scoped_province is None
    return {
        "drill_down": drill_down,
        "scope_start": f"?province={province}" if drill_down else "",
        "scope_query": f"&province={province}" if drill_down else "",
    }


def _dashboard_province(request) -> tuple:
    """(province, national view, refusal) of the dashboard: a national installation's province
    staff and officials see their province; the Ministry the whole country (national view) or,
    with `?province=CODE`, one province's dashboard (drill-down). For a code of no loaded 2025
    province the refusal is the invalid ProvinceParamForm naming it (answered with a 400)."""
    if settings.PORTAL_SCOPE != "national":
        return None, False, None
    scoped = request.user.scoped_province
    if scoped is not None:
        return scoped, False, None
    scope = ProvinceParamForm(request.GET)
    if not scope.is_valid():
        return None, False, scope
    asked = scope.cleaned_data["province"]
    if not asked:
        return None, True, None
    return asked, False, None


def _priority_rows(results) -> list:
    """The priority groups (DESIGN §4): the high-pollution-risk facilities and the key energy
    users, each with its grouping (for the links to its facilities)."""
    rows = []
    for grouping in FLAG_GROUPINGS:
        row = next((r for r in results.groups.get(grouping, []) if r.key == "true"), None)
        rows.append((Grouping(grouping).label, grouping, row))
    return rows


@staff_or_official_required
def indicator_facilities(request, code, year, part):
    if (code, part) not in facts.FACILITY_CONDITIONS:
        raise Http404
    scope = FacilityScopeForm(request.GET)
    if not scope.is_valid():
        return render(request, "reports/bad_scope.html", {"form": scope}, status=400)
    province, _national, refused = _dashboard_province(request)
    if refused is not None:
        return render(request, "reports/bad_scope.html", {"form": refused}, status=400)
    indicator = ind.indicator_for(code, year, province)
    # A year of no plan period, or one still to come (its cumulative shares would read as met
    # targets): the API and the dashboard refuse them as well.
    if indicator is None or year > timezone.localdate().year:
        raise Http404
    district, division = scope.cleaned_data["district"], scope.cleaned_data["division"]
    grouping, key = scope.cleaned_data["group"] or None, scope.cleaned_data["key"] or None
    narrow = {"grouping": grouping, "key": key, "division": division, "province": province}
    district_id = district.pk if district else None
    facilities = facts.indicator_facilities(code, year, part, district=district_id, **narrow)
    facilities = facilities.select_related("commune__parent", "ward", "industry")
    # Counted over the stored facts (one row per facility) unless a district narrows the list.
    count = None if district else facts.indicator_facility_count(code, year, part, **narrow)
    context = {
        **paginate(request, facilities.order_by(vietnamese("name"), "id"), PAGE_SIZE, count=count),
        "code": code,
        "year": year,
        "part": part,
        "district": district,
        "division": division,
        "group": _group_named(grouping, key) if grouping else None,
        "indicator": indicator,
        "saving": code == SAVING,
    }
    return render(request, "reports/indicator_facilities.html", context)


def _group_named(grouping: str, key: str) -> dict:
    """The grouping's label and the group's name, for the list's heading (one query or none)."""
    return {
        "value": grouping,
        "grouping": Grouping(grouping).label,
        "key": key,
        "name": group_name(grouping, key),
    }


@login_required
def help_page(request):
    """The definitions (DESIGN §4) for every logged-in role: the indicators, the benchmark score
    with its minimum of peers, and the data-quality rules as staff have set them now."""
    context = {
        "reach_pct": SAVING_REACH_PCT,
        "min_peers": benchmark.MIN_PEERS,
        "bands": _bands(),
        "rules": _help_rules(),
    }
    return render(request, "reports/help.html", context)


def _bands() -> list[tuple]:
    """The benchmark's bands as (lowest score, first score above, words), best first."""
    bands, upper = [], None
    for floor, text in benchmark.BANDS:
        bands.append((floor, upper, text))
        upper = floor
    return bands


def _help_rules() -> list:
    """The quality rules in one query, each with the settings it reads (`uses`) and the unit of
    its threshold, in the reader's language."""
    rules = list(QualityRule.objects.order_by("pk"))
    for rule in rules:
        rule.uses = RULE_THRESHOLDS.get(rule.code, ())
        unit = THRESHOLD_UNITS.get(rule.code, "")
        rule.threshold_unit = gettext(unit) if unit else ""
    return rules
