"""The home page: a different summary per role, counting facilities and reports (spans apps)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static

from accounts.models import User
from assessments.models import AnnualReport
from facilities.models import Facility


@login_required
def home(request):
    user = request.user
    if user.is_portal_staff:
        context = {
            "facility_count": Facility.objects.count(),
            "active_count": Facility.objects.filter(status=Facility.Status.ACTIVE).count(),
            "user_count": User.objects.filter(is_active=True).count(),
            "reports_waiting": AnnualReport.objects.awaiting_review().count(),
        }
        return render(request, "ops/home_staff.html", context)
    if user.is_official:
        return render(
            request, "ops/home_official.html", {"facility_count": Facility.objects.count()}
        )
    facilities = Facility.objects.visible_to(user).select_related(
        "commune__parent", "ward", "industry"
    )
    return render(request, "ops/home_facility.html", {"facilities": facilities})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponseRedirect(static("img/favicon.ico"))
