"""Staff pages for plan periods, indicators with their targets, and manual indicator values."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import staff_required
from assessments.models import PlanPeriod
from core.history import HISTORY_TYPES, history_for, record_seeded_value, shown_history
from core.locking import save_unless_stale
from core.numbers import format_decimal
from core.unique import save_unless_duplicate

from ..forms import (
    EstablishmentCountForm,
    IndicatorForm,
    IndicatorValueDeleteForm,
    IndicatorValueForm,
    MilestonesForm,
    PlanPeriodForm,
)
from ..models import EstablishmentCount, Indicator, IndicatorMilestone, IndicatorValue
from ..reporting import establishment_counts_apply
from ..services import (
    establishment_count_set,
    indicator_value_set,
    milestones_set,
    plan_period_create,
)

PERIOD_EDIT_CONFLICT = gettext_lazy(
    "Giai đoạn kế hoạch này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của "
    "bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại "
    "thay đổi."
)
INDICATOR_EDIT_CONFLICT = gettext_lazy(
    "Chỉ tiêu này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của bạn chưa "
    "được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại thay đổi."
)


@staff_required
def plan(request):
    # A national installation's province staff: their province's plans beside the national
    # strategy's (read only); otherwise every period.
    periods = PlanPeriod.objects.prefetch_related("indicators__milestones").order_by("-start_year")
    province = request.user.scoped_province
    if province is not None:
        periods = periods.filter(province__in=[province or "-", ""])
    editable = set(PlanPeriod.objects.editable_by(request.user).values_list("pk", flat=True))
    context = {
        "periods": periods,
        "editable": editable,
        "establishment_counts": establishment_counts_apply(),
    }
    return render(request, "reports/plan.html", context)


@staff_required
def period_create(request):
    form = PlanPeriodForm(request.POST or None, province=request.user.scoped_province or "")
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same form sent twice at once: the second finds the code taken.
        taken = _("Đã có giai đoạn kế hoạch mã %(code)s.") % {"code": form.cleaned_data["code"]}
        copy_from = form.cleaned_data["copy_from"]
        if save_unless_duplicate(
            form, "code", taken, save=lambda: plan_period_create(form=form, copy_from=copy_from)
        ):
            name = form.instance.name
            messages.success(request, _("Đã thêm giai đoạn %(name)s.") % {"name": name})
            return redirect("reports:plan")
        status = 409
    context = {"form": form, "period": None}
    return render(request, "reports/period_form.html", context, status=status)


@staff_required
def period_edit(request, pk):
    period = get_object_or_404(PlanPeriod.objects.editable_by(request.user), pk=pk)
    form = PlanPeriodForm(request.POST or None, instance=period, province=period.province)
    if request.method == "POST" and form.is_valid():
        # The seeded 2016–2020 period has no history: first the values this edit replaces.
        record_seeded_value(period)
        if save_unless_stale(form):
            messages.success(request, _("Đã lưu giai đoạn kế hoạch."))
            return redirect("reports:plan")
        messages.error(request, PERIOD_EDIT_CONFLICT)  # nothing saved: show the latest values
        period = get_object_or_404(PlanPeriod.objects.editable_by(request.user), pk=pk)
        form = PlanPeriodForm(instance=period, province=period.province)
    context = {"form": form, "period": period, "history": history_for(request, period)}
    return render(request, "reports/period_form.html", context)


@staff_required
def indicator_create(request, period_pk):
    period = get_object_or_404(PlanPeriod.objects.editable_by(request.user), pk=period_pk)
    form = IndicatorForm(request.POST or None, instance=Indicator(period=period))
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # The same form sent twice at once: the second finds the code taken in the period.
        taken = _("Giai đoạn này đã có chỉ tiêu mã %(code)s.") % {"code": code}
        if save_unless_duplicate(form, "code", taken):
            messages.success(request, _("Đã thêm chỉ tiêu %(code)s.") % {"code": code})
            return redirect("reports:plan")
        status = 409
    context = {"form": form, "period": period}
    return render(request, "reports/indicator_form.html", context, status=status)


@staff_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(_indicators(request).select_related("period"), pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        # The plan's seeded indicators have no history: first the value this edit replaces.
        record_seeded_value(indicator)
        if save_unless_stale(form):
            messages.success(request, _("Đã lưu chỉ tiêu %(code)s.") % {"code": indicator.code})
            return redirect("reports:plan")
        messages.error(request, INDICATOR_EDIT_CONFLICT)  # nothing saved: show the latest values
        indicator = get_object_or_404(_indicators(request).select_related("period"), pk=pk)
        form = IndicatorForm(instance=indicator)
    context = {
        "form": form,
        "period": indicator.period,
        "indicator": indicator,
        "indicator_history": _indicator_history(request, indicator),
    }
    return render(request, "reports/indicator_form.html", context)


@staff_required
def indicator_values(request, pk):
    indicator = get_object_or_404(
        _indicators(request).select_related("period"), pk=pk, method=Indicator.Method.MANUAL
    )
    # The values table's form (its "Xóa" box per year, `delete`, and its button, `remove`)
    # removes values; the entry form enters one.
    removing = request.method == "POST" and bool({"delete", "remove"} & set(request.POST))
    form = IndicatorValueForm(
        request.POST if request.method == "POST" and not removing else None, indicator=indicator
    )
    delete_form = IndicatorValueDeleteForm(request.POST if removing else None, indicator=indicator)
    if removing and delete_form.is_valid():
        if "confirm" not in request.POST:
            # First the confirmation page: which years' values go; only its button removes.
            context = {"indicator": indicator, "entries": delete_form.chosen()}
            return render(request, "reports/indicator_values_delete.html", context)
        for entry in delete_form.remove():
            messages.success(request, _removed_message(indicator, entry))
        return redirect("reports:indicator_values", pk=indicator.pk)
    if request.method == "POST" and not removing and form.is_valid():
        indicator_value_set(indicator=indicator, author=request.user, **form.cleaned_data)
        messages.success(request, _("Đã ghi giá trị năm %(year)s.") % form.cleaned_data)
        return redirect("reports:indicator_values", pk=indicator.pk)
    context = {
        "indicator": indicator,
        "form": form,
        "delete_form": delete_form,
        "values": indicator.values.select_related("author").order_by("year"),
        "history": _with_type_labels(
            request,
            IndicatorValue.history.filter(indicator_id=indicator.pk)
            .select_related("history_user", "author")
            .order_by("-history_date"),
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/indicator_values.html", context, status=status)


@staff_required
def indicator_milestones(request, pk):
    """The yearly milestones of one indicator, with their history."""
    indicator = get_object_or_404(
        _indicators(request).select_related("period").prefetch_related("milestones"), pk=pk
    )
    form = MilestonesForm(request.POST or None, indicator=indicator)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        changed = milestones_set(
            indicator=indicator, milestones=form.milestones(), loaded=form.loaded_fingerprint()
        )
        if changed is not None:
            saved = ngettext(
                "Đã lưu mốc chỉ tiêu theo năm (%(n)s thay đổi).",
                "Đã lưu mốc chỉ tiêu theo năm (%(n)s thay đổi).",
                changed,
            )
            messages.success(request, saved % {"n": changed})
            return redirect("reports:indicator_milestones", pk=indicator.pk)
        # Someone saved the milestones since this form was loaded: nothing saved; the form
        # again with the latest values.
        messages.error(request, INDICATOR_EDIT_CONFLICT)
        indicator = get_object_or_404(
            _indicators(request).select_related("period").prefetch_related("milestones"), pk=pk
        )
        form = MilestonesForm(indicator=indicator)
        status = 409
    context = {
        "indicator": indicator,
        "form": form,
        "history": _with_type_labels(
            request,
            IndicatorMilestone.history.filter(indicator_id=indicator.pk)
            .select_related("history_user")
            .order_by("-history_date"),
        ),
        "indicator_history": _indicator_history(request, indicator),
    }
    return render(request, "reports/indicator_milestones.html", context, status=status)


def _removed_message(indicator, entry) -> str:
    return _("Đã xóa giá trị năm %(year)s (%(value)s %(unit)s).") % {
        "year": entry.year,
        "value": format_decimal(entry.value),
        "unit": indicator.display_unit,
    }


def _with_type_labels(request, records) -> list:
    """The history records a page shows (core.history.shown_history: the latest, or all with
    ?history=all), each with `type_label`: its kind in the reader's language
    (core.history.HISTORY_TYPES; simple-history's own labels are English)."""
    records = shown_history(request, records)
    for record in records:
        record.type_label = HISTORY_TYPES.get(
            record.history_type, record.get_history_type_display()
        )
    return records


def _indicator_history(request, indicator) -> list[dict]:
    """The changes of the indicator itself (its period target, name, …), as
    core.history.history_for."""
    return history_for(request, indicator)


def _indicators(request):
    """The indicators of the periods the staff member may change (404 for another province's)."""
    return Indicator.objects.filter(period__in=PlanPeriod.objects.editable_by(request.user))


@staff_required
def establishments(request):
    """The statistics office's count of industrial establishments per year, which the
    dashboard and documents measure the registry's coverage against. None in a national
    installation: the count is one province's, which no page there would read (a province's
    staff would otherwise set the figure the Ministry's national view compares the country with)."""
    if not establishment_counts_apply():
        raise Http404
    form = EstablishmentCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        year = data.pop("year")
        establishment_count_set(year=year, author=request.user, **data)
        messages.success(
            request, _("Đã ghi số cơ sở SXCN theo thống kê năm %(year)s.") % {"year": year}
        )
        return redirect("reports:establishments")
    context = {
        "form": form,
        "counts": EstablishmentCount.objects.select_related("author"),
        "history": _with_type_labels(
            request,
            EstablishmentCount.history.select_related("history_user", "author").order_by(
                "-history_date"
            ),
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/establishments.html", context, status=status)
