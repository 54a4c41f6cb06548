"""Programme activities: staff manage them; facility users see those they took part in."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import staff_required
from core.collation import vietnamese
from core.history import deleted_records, shown_history
from core.locking import is_stale
from core.pagination import paginate
from facilities import territory
from facilities.models import Facility
from facilities.provinces import legacy_codes_of

from ..access import (
    activity_participants_for,
    counted_participations,
    get_activity_for_user,
    may_change_activity,
)
from ..activity_forms import ActivityForm, ParticipationFormSet, filter_activities
from ..assessment_services import AlreadyCreated, store_once
from ..models import Activity, Participation

PAGE_SIZE = 25
EDIT_CONFLICT = gettext_lazy(
    "Hoạt động này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của bạn chưa "
    "được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại thay đổi."
)
ALREADY_CREATED = gettext_lazy(
    "Biểu mẫu này đã được gửi và hoạt động đã được lưu trước đó; không tạo thêm hoạt động trùng."
)


@login_required
def activity_list(request):
    visible = Activity.objects.visible_to(request.user)
    activities, form = filter_activities(
        request.GET, visible, province=territory.province_for(request.user)
    )
    counted = counted_participations(request.user)
    activities = (
        activities.select_related("ward")
        .with_place_label()  # two old districts of one name with their provinces
        .annotate(
            facility_count=Count("participation", filter=counted),
            people=Sum("participation__people", filter=counted),
        )
        .order_by("-date", "-id")
    )
    context = {"form": form, **paginate(request, activities, PAGE_SIZE)}
    if request.user.is_portal_staff:
        context["deleted"] = recently_deleted(request.user)
    return render(request, "assessments/activity_list.html", context)


# A deletion removes the activity's participants first, in the same request: their history
# records are dated within this of the activity's own "-" record (an edit that removed one
# earlier is a page view and a confirmation away).
CASCADE_WINDOW = timedelta(seconds=2)


def recently_deleted(user) -> list:
    """The activities deleted lately (their history, core.history.deleted_records) that `user`'s
    province held or its facilities took part in (Activity.objects.visible_to), each with
    `facility_count`: the participants deleted with it."""
    records = Activity.history.all()
    province = user.scoped_province
    if province is not None:
        taken_part = Participation.history.filter(
            history_type="-", facility_id__in=Facility.objects.visible_to(user).values("pk")
        )
        held = Q(id__in=taken_part.values("activity_id"))
        if province:
            # Its holding province as recorded (Activity.province); a record written before the
            # history kept it: the rule of Activity.holding_province on its place.
            by_place = Q(ward__parent__code=province) | Q(
                ward__isnull=True, district__parent__code__in=legacy_codes_of(province)
            )
            held |= Q(province=province) | (Q(province="") & by_place)
        records = records.filter(held)
    deleted = deleted_records(records)
    when = {record.id: record.history_date for record in deleted}
    removed = Participation.history.filter(history_type="-", activity_id__in=when)
    counts = dict.fromkeys(when, 0)
    for activity_id, removed_at in removed.values_list("activity_id", "history_date"):
        if when[activity_id] - CASCADE_WINDOW <= removed_at <= when[activity_id]:
            counts[activity_id] += 1
    for record in deleted:
        record.facility_count = counts[record.id]
    return deleted


@login_required
def activity_detail(request, pk):
    activity = get_activity_for_user(request, pk)
    participations = activity.participation_set.select_related("facility__commune")
    totals = participations.aggregate(facilities=Count("id"), people=Sum("people"))
    # Other participants are other facilities' (or another province's) business, their
    # history too; a reader from another province counts only their own province's.
    own = activity_participants_for(request.user, activity)
    if own is not None:
        participations = participations.filter(facility__in=own)
        if not request.user.is_facility_user:
            totals = participations.aggregate(facilities=Count("id"), people=Sum("people"))
    context = {
        "activity": activity,
        "participations": participations.order_by(vietnamese("facility__name"), "pk"),
        "totals": totals,
        "history": shown_history(request, activity.change_history(limit=None, facilities=own)),
        "may_change": may_change_activity(request.user, activity),
    }
    return render(request, "assessments/activity_detail.html", context)


@staff_required
def activity_create(request):
    return _activity_form(request, Activity())


@login_required
def activity_edit(request, pk):
    return _activity_form(request, get_activity_for_user(request, pk, write=True))


def _activity_form(request, activity):
    form, formset = _forms(request, request.POST or None, activity)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                stale = is_stale(form)  # locks the row until the save below is committed
                # Stale: the participant rows are not checked (they may name rows deleted
                # meanwhile).
                # The date is judged against the participants this save leaves (one save may
                # move the activity to a later date and remove them all), with the row locked.
                saved = not stale and formset.is_valid() and form.participants_allowed()
                if saved:
                    activity = form.save(commit=False)
                    # A new activity whose creation form was sent before: AlreadyCreated.
                    store_once(activity)
                    form.save_m2m()
                    formset.instance = activity
                    formset.save()
        except AlreadyCreated as sent_again:
            messages.info(request, ALREADY_CREATED)
            return redirect(sent_again.record)
        if saved:
            messages.success(
                request, _("Đã lưu hoạt động “%(title)s”.") % {"title": activity.title}
            )
            return redirect(activity)
        if stale:  # nothing saved: show the latest values, participants included
            messages.error(request, EDIT_CONFLICT)
            activity = get_activity_for_user(request, activity.pk, write=True)
            form, formset = _forms(request, None, activity)
    context = {"form": form, "formset": formset, "activity": activity if activity.pk else None}
    return render(request, "assessments/activity_form.html", context)


def _forms(request, data, activity):
    formset = ParticipationFormSet(
        data, instance=activity, prefix="participants", form_kwargs={"user": request.user}
    )
    form = ActivityForm(data, instance=activity, user=request.user, participants=formset)
    return form, formset


@login_required
def activity_delete(request, pk):
    activity = get_activity_for_user(request, pk, write=True)
    if request.method == "POST":
        activity.delete()
        messages.success(request, _("Đã xóa hoạt động “%(title)s”.") % {"title": activity.title})
        return redirect("assessments:activity_list")
    # What the programme's figures lose (Activity.deletion_effect): said before the POST that
    # deletes it; the deletion is kept in the activity's history and its participants'.
    context = {"activity": activity, "effect": activity.deletion_effect()}
    return render(request, "assessments/activity_delete.html", context)
