"""Facility registry pages: the filtered list, create, detail with history, edit, close, and the
staff's list of facilities that still need a 2025 commune/ward."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import staff_required
from core.collation import vietnamese
from core.data_version import cached, current_token
from core.history import history_for
from core.locking import save_unless_stale
from core.pagination import paginate
from core.unique import save_unless_duplicate

from .. import territory
from ..access import get_facility_for_user
from ..filters import filter_facilities
from ..forms import FacilityCloseForm, FacilityContactForm, FacilityForm
from ..models import AdminUnit, Facility

PAGE_SIZE = 25


@login_required
def facility_list(request):
    token = current_token()  # the filter lists and the registry's size are cached under it
    visible = Facility.objects.visible_to(request.user)
    facilities, form = filter_facilities(
        request.GET, visible, data_token=token, province=territory.province_for(request.user)
    )
    facilities = facilities.select_related("commune__parent", "ward", "industry", "industrial_area")
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    total = _registry_size(request.user, visible, token)
    paged = paginate(request, facilities, PAGE_SIZE, count=None if filtered else total)
    context = {"form": form, **paged, "total": total}
    if request.user.is_portal_staff:
        context["needs_ward_count"] = cached(
            _scoped("facility-needs-ward-count", request.user),
            visible.filter(ward__isnull=True).count,
            token=token,
        )
    return render(request, "facilities/facility_list.html", context)


@staff_required
def facility_needs_ward(request):
    """Facilities without a 2025 commune/ward (their old commune was split, or the mapping did
    not know it), with the wards their old commune became; each links to its edit form."""
    candidates = Prefetch(
        "commune__successors",
        queryset=AdminUnit.objects.filter(
            pk__in=territory.wards(territory.province_for(request.user))
        ).order_by(vietnamese("name"), "pk"),
        to_attr="ward_candidates",
    )
    facilities = (
        Facility.objects.visible_to(request.user)
        .filter(ward__isnull=True)
        .select_related("commune__parent__parent")
        .prefetch_related(candidates)
        .order_by(
            "commune__parent__parent__code",
            vietnamese("commune__parent__name"),
            vietnamese("commune__name"),
            vietnamese("name"),
            "id",
        )
    )
    paged = paginate(request, facilities, PAGE_SIZE)
    return render(request, "facilities/facility_needs_ward.html", paged)


def _registry_size(user, visible, token) -> int:
    """How many facilities `user` may see; the whole registry's size is cached."""
    if user.is_staff_or_official:
        return cached(_scoped("facility-count", user), visible.count, token=token)
    return visible.count()


def _scoped(name: str, user) -> str:
    """A cache name per province scope: a national installation's provinces count apart."""
    province = user.scoped_province
    return name if province is None else f"{name}:{province or '-'}"


@staff_required
def facility_create(request):
    form = FacilityForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same form sent twice at once: the second finds the tax code taken.
        taken = _("Đã có cơ sở mang mã số thuế %(tax_code)s; hãy mở cơ sở đó để sửa.") % {
            "tax_code": form.cleaned_data["tax_code"]
        }
        if save_unless_duplicate(form, "tax_code", taken):
            facility = form.instance
            messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": facility.name})
            _warn_about_ward(request, form)
            return redirect(facility)
        status = 409
    context = {"form": form, "facility": None}
    return render(request, "facilities/facility_form.html", context, status=status)


def _warn_about_ward(request, form) -> None:
    if getattr(form, "ward_warning", ""):
        messages.warning(request, form.ward_warning)


@staff_required
def facility_close(request, pk):
    facility = get_facility_for_user(request, pk, write=True)
    form = FacilityCloseForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã ghi nhận cơ sở đóng cửa."))
        return redirect(facility)
    return render(request, "facilities/facility_close.html", {"form": form, "facility": facility})


@login_required
def facility_detail(request, pk):
    facility = get_facility_for_user(request, pk)
    context = {
        "facility": facility,
        "history": history_for(request, facility),
        "annual_reports": facility.annual_reports.order_by("-year"),
        "assessments": facility.assessments.order_by("-start_date", "-id"),
    }
    return render(request, "facilities/facility_detail.html", context)


@login_required
def facility_edit(request, pk):
    facility = get_facility_for_user(request, pk, write=True)
    form = _edit_form(request, request.POST or None, facility)
    if request.method == "POST" and form.is_valid():
        if save_unless_stale(form):
            messages.success(request, _("Đã lưu thông tin cơ sở."))
            _warn_about_ward(request, form)
            return redirect(facility)
        messages.error(
            request,
            _(
                "Cơ sở này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi "
                "của bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải "
                "lại trang và nhập lại thay đổi."
            ),
        )
        facility = get_facility_for_user(request, pk, write=True)
        form = _edit_form(request, None, facility)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": facility})


def _edit_form(request, data, facility):
    """Staff edit every field (the units of their territory); a representative the contact."""
    if request.user.is_portal_staff:
        return FacilityForm(data, instance=facility, user=request.user)
    return FacilityContactForm(data, instance=facility)
