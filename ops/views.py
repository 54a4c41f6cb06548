"""The home page: per role, the work waiting for the user (gathered by ops/home.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static

from .home import facility_home, official_home, staff_home


@login_required
def home(request):
    user = request.user
    if user.is_portal_staff:
        return render(request, "ops/home_staff.html", {"home": staff_home(user)})
    if user.is_official or user.is_ministry:
        return render(request, "ops/home_official.html", {"home": official_home(user)})
    return render(request, "ops/home_facility.html", {"home": facility_home(user)})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponseRedirect(static("img/favicon.ico"))
