"""The TOE conversion and grid emission factors every computation reads; staff edit them (a
superuser only in a national installation: `accounts.access.may_edit_shared_reference`)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import shared_reference_editor_required, staff_or_official_required
from core.history import history_entries
from core.locking import save_unless_stale
from core.unique import save_unless_duplicate

from ..assessment_forms import (
    ConversionFactorForm,
    GridEmissionFactorForm,
    NewGridEmissionFactorForm,
)
from ..models import ConversionFactor, GridEmissionFactor, plan_years


@staff_or_official_required
def factor_list(request):
    context = {
        "factors": ConversionFactor.objects.all(),
        "grid_factors": GridEmissionFactor.objects.all(),
        "missing_grid_years": GridEmissionFactor.missing_years(plan_years()),
    }
    return render(request, "assessments/factor_list.html", context)


@shared_reference_editor_required
def factor_edit(request, pk):
    factor = get_object_or_404(ConversionFactor, pk=pk)
    return _edit(request, ConversionFactorForm, factor, factor.display_name)


@shared_reference_editor_required
def grid_factor_edit(request, pk):
    factor = get_object_or_404(GridEmissionFactor, pk=pk)
    title = _("Hệ số phát thải lưới điện năm %(year)s") % {"year": factor.year}
    return _edit(request, GridEmissionFactorForm, factor, title)


@shared_reference_editor_required
def grid_factor_create(request):
    form = NewGridEmissionFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        # The same form sent twice at once: the second finds the year's factor stored.
        taken = _("Năm %(year)s đã có hệ số phát thải lưới điện: hãy sửa hệ số đó.")
        if save_unless_duplicate(form, "year", taken % {"year": year}):
            messages.success(
                request, _("Đã thêm hệ số phát thải lưới điện năm %(year)s.") % {"year": year}
            )
            return redirect("assessments:factor_list")
        status = 409
    context = {"form": form, "title": _("Thêm hệ số phát thải lưới điện"), "history": []}
    return render(request, "assessments/factor_form.html", context, status=status)


def _edit(request, form_class, factor, title):
    form = form_class(request.POST or None, instance=factor)
    if request.method == "POST" and form.is_valid():
        if save_unless_stale(form):
            messages.success(request, _("Đã lưu hệ số. Các chỉ số tính toán dùng giá trị mới."))
            return redirect("assessments:factor_list")
        # Someone saved the factor since this form was loaded: nothing saved, the latest values.
        messages.error(
            request,
            _(
                "Hệ số này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của "
                "bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại "
                "trang và nhập lại thay đổi."
            ),
        )
        factor = type(factor).objects.get(pk=factor.pk)
        form = form_class(instance=factor)
    # Factors seeded by the data migration have no history record yet.
    history = history_entries(factor) if factor.history.exists() else []
    context = {"form": form, "factor": factor, "title": title, "history": history}
    return render(request, "assessments/factor_form.html", context)
