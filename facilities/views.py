from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_facility_for_user

from .forms import FacilityContactForm, FacilityForm
from .models import Facility


@login_required
def facility_list(request):
    q = request.GET.get("q", "").strip()
    facilities = (
        Facility.objects.visible_to(request.user)
        .search(q)
        .select_related("commune__parent", "industry")
    )
    page = Paginator(facilities, 25).get_page(request.GET.get("page"))
    query_string = f"q={q}" if q else ""
    return render(
        request,
        "facilities/facility_list.html",
        {"page": page, "q": q, "query_string": query_string},
    )


@login_required
def facility_detail(request, pk):
    facility = get_facility_for_user(request, pk)
    history = facility.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request, "facilities/facility_detail.html", {"facility": facility, "history": history}
    )


@login_required
def facility_edit(request, pk):
    facility = get_facility_for_user(request, pk, write=True)
    form_class = FacilityForm if request.user.is_portal_staff else FacilityContactForm
    form = form_class(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin cơ sở."))
        return redirect(facility)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": facility})
