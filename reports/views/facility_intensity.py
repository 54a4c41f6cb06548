"""A facility's own page: its energy-intensity trend against the 8–13% saving target."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.collation import vietnamese
from facilities.access import get_facility_for_user
from facilities.models import Facility

from ..intensity import intensity_rows, saving_target


@login_required
def my_facility(request):
    """Facility users: their facility's progress page (or the choice of their facilities)."""
    if not request.user.is_facility_user:
        return redirect("reports:dashboard")
    facilities = list(Facility.objects.visible_to(request.user).order_by(vietnamese("name"), "pk"))
    if len(facilities) == 1:
        return redirect("reports:facility_progress", pk=facilities[0].pk)
    return render(request, "reports/my_facilities.html", {"facilities": facilities})


@login_required
def facility_intensity(request, pk):
    facility = get_facility_for_user(request, pk)
    rows = intensity_rows(facility)
    low, high = saving_target(rows[-1].year if rows else None)
    chart = {
        "years": [row.year for row in rows],
        "intensity": [float(row.intensity) if row.intensity is not None else None for row in rows],
        "saving": [float(row.saving_pct) if row.saving_pct is not None else None for row in rows],
        "target": {"min": float(low), "max": float(high)},
    }
    context = {"facility": facility, "rows": rows, "low": low, "high": high, "chart": chart}
    return render(request, "reports/facility_intensity.html", context)
