"""The option library (issue 17 point 2): anonymised examples per sector and category, the
examples staff curate, hiding and showing again any example."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import (
    may_edit_shared_reference,
    role_required,
    shared_reference_editor_required,
)
from accounts.models import Role
from core.history import history_entries
from core.locking import save_unless_stale
from core.pagination import paginate

from ..library import category_summaries, division_choices, examples, library_order
from ..library_forms import LibraryExampleForm, LibraryFilterForm, VisibilityForm
from ..models import LibraryExample, Option, WorkflowState

PAGE_SIZE = 25


@role_required(Role.STAFF, Role.OFFICIAL, Role.MINISTRY, Role.FACILITY)
def option_library(request):
    divisions = division_choices()
    form = LibraryFilterForm(request.GET or None, divisions=divisions)
    division = category = None
    if form.is_valid():
        division = form.cleaned_data["division"] or None
        category = form.cleaned_data["category"]
    is_staff = request.user.has_role(Role.STAFF)
    items = library_order(examples(division, category, include_hidden=is_staff))
    context = {
        "form": form,
        "division_label": dict(divisions).get(division) if division else None,
        "summaries": category_summaries(items),
        "can_curate": may_edit_shared_reference(request.user),
        **paginate(request, items, PAGE_SIZE),
    }
    return render(request, "assessments/option_library.html", context)


@shared_reference_editor_required
def library_example_create(request):
    return _example_form(request, LibraryExample(division=request.GET.get("division", "")[:2]))


@shared_reference_editor_required
def library_example_edit(request, pk):
    return _example_form(request, get_object_or_404(LibraryExample, pk=pk))


def _example_form(request, example):
    form = LibraryExampleForm(request.POST or None, instance=example)
    if request.method == "POST" and form.is_valid():
        if save_unless_stale(form):
            messages.success(request, _("Đã lưu giải pháp mẫu."))
            division = form.instance.division
            return redirect(f"{reverse('assessments:option_library')}?division={division}")
        # Someone saved the example since this form was loaded: nothing saved, the latest values.
        messages.error(
            request,
            _(
                "Giải pháp này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi "
                "của bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại "
                "trang và nhập lại thay đổi."
            ),
        )
        example = LibraryExample.objects.get(pk=example.pk)
        form = LibraryExampleForm(instance=example)
    history = history_entries(example) if example.pk else []
    context = {"form": form, "example": example, "history": history}
    return render(request, "assessments/library_example_form.html", context)


@require_http_methods(["GET", "POST"])
@shared_reference_editor_required
def library_example_visibility(request, pk):
    example = get_object_or_404(LibraryExample, pk=pk)
    return _visibility(request, example, "hidden", example.description)


@require_http_methods(["GET", "POST"])
@shared_reference_editor_required
def library_option_visibility(request, pk):
    option = get_object_or_404(
        Option.objects.only("id", "description", "category", "status", "library_hidden"),
        pk=pk,
        status=Option.Status.DONE,
        assessment__state=WorkflowState.APPROVED,
    )
    return _visibility(request, option, "library_hidden", option.description)


def _visibility(request, record, field, description):
    """GET: the confirmation page; POST: hide (hidden=1) or show again (hidden=0)."""
    hidden_now = getattr(record, field)
    form = VisibilityForm(request.POST or None, initial={"hidden": "0" if hidden_now else "1"})
    if request.method == "POST" and form.is_valid():
        hide = form.cleaned_data["hidden"]
        if hide != hidden_now:
            # Re-read the whole row: a partial instance would save only the loaded fields.
            record = type(record).objects.get(pk=record.pk)
            setattr(record, field, hide)
            record._change_reason = form.cleaned_data["reason"] or (
                _("Ẩn khỏi thư viện giải pháp") if hide else _("Hiển thị lại trong thư viện")
            )
            record.save()
        messages.success(
            request,
            _("Đã ẩn giải pháp khỏi thư viện.") if hide else _("Đã hiển thị lại giải pháp."),
        )
        return redirect("assessments:option_library")
    context = {"form": form, "description": description, "hide": not hidden_now}
    return render(request, "assessments/library_visibility.html", context)
