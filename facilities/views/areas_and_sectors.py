"""Staff pages for reference data: industrial areas and the plan's priority sectors.
Officials see both lists read-only; in a national installation only a superuser changes the
priority sectors, which every province shares."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_update_with_history

from accounts.access import (
    may_edit_shared_reference,
    staff_or_official_required,
    staff_required,
)
from core.collation import vietnamese
from core.history import (
    combined_entries,
    deleted_records,
    history_for,
    record_seeded_values,
    shown_history,
)
from core.unique import save_unless_duplicate

from .. import territory
from ..models import IndustrialArea, IndustryCode
from ..reference import VSIC_VERSION
from ..reference_forms import (
    IndustrialAreaFilterForm,
    IndustrialAreaForm,
    PrioritySectorForm,
    divisions,
)

PAGE_SIZE = 25

SECTOR_EDIT_CONFLICT = gettext_lazy(
    "Danh sách ngành ưu tiên vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của "
    "bạn chưa được lưu. Danh sách dưới đây là dữ liệu mới nhất; vui lòng đánh dấu lại thay đổi "
    "và lưu."
)


@staff_or_official_required
def area_list(request):
    province = territory.province_for(request.user)
    form = IndustrialAreaFilterForm(request.GET, province=province)
    areas = form.filter(territory.industrial_areas(province))
    areas = areas.select_related("district").annotate(facility_count=Count("facilities"))
    page = Paginator(areas.order_by(vietnamese("name"), "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "form": form, "query_string": params.urlencode()}
    if request.user.is_portal_staff:
        context["deleted"] = deleted_records(_area_history(province).select_related("district"))
    return render(request, "facilities/area_list.html", context)


def _area_history(province):
    """The history records of the areas of `province`, deleted ones included: the rule of
    territory.industrial_areas on the records' district."""
    records = IndustrialArea.history.all()
    if settings.PORTAL_SCOPE != "national" or province in (None, territory.ALL):
        return records
    return records.filter(
        Q(district__in=territory.old_districts(province)) | Q(district__isnull=True)
    )


@staff_required
def area_create(request):
    province = territory.province_for(request.user)
    form = IndustrialAreaForm(request.POST or None, province=province)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same form sent twice at once: the second finds the name taken.
        taken = _("Tên này trùng với khu/cụm công nghiệp “%(name)s” đã có.") % {
            "name": form.cleaned_data["name"]
        }
        if save_unless_duplicate(form, "name", taken):
            messages.success(request, _("Đã thêm %(name)s.") % {"name": form.instance.name})
            return redirect("facilities:area_list")
        status = 409
    context = {"form": form, "area": None}
    return render(request, "facilities/area_form.html", context, status=status)


@staff_required
def area_edit(request, pk):
    area = _area_for_user(request, pk)
    form = IndustrialAreaForm(
        request.POST or None, instance=area, province=territory.province_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu %(name)s.") % {"name": area.name})
        return redirect("facilities:area_list")
    context = {"form": form, "area": area, "history": history_for(request, area)}
    return render(request, "facilities/area_form.html", context)


@staff_required
def area_delete(request, pk):
    area = _area_for_user(request, pk)
    if request.method == "POST" and _delete_unless_used(area):
        messages.success(request, _("Đã xóa %(name)s.") % {"name": area.name})
        return redirect("facilities:area_list")
    # GET, or a refused POST: the page says why the area cannot be deleted.
    context = {"area": area, "facility_count": area.facilities.count()}
    return render(request, "facilities/area_delete.html", context)


def _area_for_user(request, pk) -> IndustrialArea:
    """Area `pk` if it is the user's province's (territory.industrial_areas), else 404."""
    areas = territory.industrial_areas(territory.province_for(request.user))
    return get_object_or_404(areas, pk=pk)


def _delete_unless_used(area) -> bool:
    """Delete `area` unless a facility still belongs to it (the foreign key would silently
    detach them). The row lock makes a facility being linked at this moment either commit
    first, and be seen, or wait and then fail."""
    with transaction.atomic():
        locked = IndustrialArea.objects.select_for_update().get(pk=area.pk)
        if locked.facilities.exists():
            return False
        locked.delete()
    return True


@staff_or_official_required
def sector_list(request):
    if request.method == "POST" and not may_edit_shared_reference(request.user):
        raise PermissionDenied
    # Not `request.POST or None`: with every box unticked the POST may be empty.
    form = PrioritySectorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        changed = _save_priorities(
            set(form.cleaned_data["divisions"]),
            by=request.user,
            loaded=request.POST.get("loaded") or None,
        )
        if changed is not None:
            message = ngettext(
                "Đã lưu danh sách ngành ưu tiên (%(n)d ngành thay đổi).",
                "Đã lưu danh sách ngành ưu tiên (%(n)d ngành thay đổi).",
                changed,
            ) % {"n": changed}
            messages.success(request, message)
            return redirect("facilities:sector_list")
        # Someone saved the list since this page was loaded: nothing saved; the list again as
        # it is now (the page's boxes show the stored priorities), with its fingerprint.
        messages.error(request, SECTOR_EDIT_CONFLICT)
        form = PrioritySectorForm()
        status = 409
    codes = list(divisions())
    changes = combined_entries(
        IndustryCode.history.filter(version=VSIC_VERSION, level=2),
        IndustryCode,
        lambda record: f"{record.code} – {record.name}",
    )
    context = {
        "form": form,
        "divisions": codes,
        "priority_count": sum(code.is_priority for code in codes),
        "history": shown_history(request, changes),
        # The priorities this page shows: a save over someone else's newer one is refused.
        "loaded": priorities_fingerprint(codes),
    }
    return render(request, "facilities/sector_list.html", context, status=status)


def priorities_fingerprint(codes) -> str:
    """A short fingerprint of which of the divisions `codes` are priority sectors: the list's
    form carries the one its page was loaded with (its hidden `loaded`), and a save is refused
    when the stored priorities no longer match (someone saved the list in between)."""
    chosen = sorted(code.code for code in codes if code.is_priority)
    return hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]


def _save_priorities(selected: set, *, by, loaded: str | None = None) -> int | None:
    """Flag exactly the `selected` divisions as priority sectors, with a history record for
    each one that changed; returns how many changed. None, nothing saved, when `loaded`, the
    priorities_fingerprint the form was loaded with, no longer matches the stored priorities:
    another save came in between, and this whole list, as the form showed it, would undo it.
    The divisions are locked meanwhile, so two saves run one after the other. A POST without
    a fingerprint (an old page, a script) is not checked."""
    with transaction.atomic():
        locked = list(divisions().select_related(None).select_for_update())
        if loaded is not None and priorities_fingerprint(locked) != loaded:
            return None
        changed = []
        for division in locked:
            wanted = division in selected
            if division.is_priority != wanted:
                division.is_priority = wanted
                changed.append(division)
        # Divisions loaded with no history: first the value this save replaces.
        record_seeded_values(IndustryCode, [division.pk for division in changed])
        bulk_update_with_history(changed, IndustryCode, ["is_priority"], default_user=by)
    return len(changed)
