"""The indicator dashboard, the facilities behind each number, and the help page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.access import staff_or_official_required
from core.pagination import paginate

from .. import indicators as ind
from ..dashboard_charts import dashboard_chart_data
from ..forms import DashboardYearForm, FacilityScopeForm

PAGE_SIZE = 25


@login_required
def dashboard(request):
    # Facility users see their own facility's page instead (DESIGN §2: no province figures).
    if request.user.is_facility_user:
        return redirect("reports:my_facility")
    return _dashboard(request)


@staff_or_official_required
def _dashboard(request):
    years = ind.plan_years()
    form = DashboardYearForm(request.GET if "year" in request.GET else None, years=years)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/bad_year.html", {"years": years}, status=400)
    year = (form.cleaned_data["year"] if form.is_bound else None) or ind.default_year()
    if year is None:
        return render(request, "reports/dashboard_empty.html")
    form = DashboardYearForm(initial={"year": year}, years=years)
    period = ind.period_for(year)
    # The chosen year and the whole period's trend in one computation.
    by_year = ind.compute_years([year, *(period.years if period else [])], period=period)
    results = by_year[year]
    context = {
        "form": form,
        "year": year,
        "results": results,
        "chart_data": dashboard_chart_data(results, by_year),
    }
    return render(request, "reports/dashboard.html", context)


@staff_or_official_required
def indicator_facilities(request, code, year, part):
    if code not in ind.COMPUTED_CODES or part not in ind.PARTS:
        raise Http404
    scope = FacilityScopeForm(request.GET)
    if not scope.is_valid():
        return render(request, "reports/bad_scope.html", {"form": scope}, status=400)
    district, division = scope.cleaned_data["district"], scope.cleaned_data["division"]
    facilities = ind.indicator_facilities(
        code, year, part, district=district.pk if district else None, division=division
    ).select_related("commune__parent", "industry")
    context = {
        **paginate(request, facilities.order_by("name", "id"), PAGE_SIZE),
        "code": code,
        "year": year,
        "part": part,
        "district": district,
        "division": division,
        "indicator": ind.indicator_for(code, year),
        "saving": code == ind.SAVING,
    }
    return render(request, "reports/indicator_facilities.html", context)


@login_required
def help_page(request):
    return render(request, "reports/help.html", {"reach_pct": ind.SAVING_REACH_PCT})
