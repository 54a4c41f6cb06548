"""CP assessments and their options: list, detail, create/edit, the review workflow."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import role_required
from accounts.models import Role
from core.history import shown_history
from core.locking import save_unless_stale
from core.pagination import paginate
from facilities import territory
from facilities.models import Facility

from .. import assessment_services as services
from .. import library
from ..access import Locked, get_assessment_for_user, get_option_for_user
from ..assessment_forms import AssessmentForm, OptionForm, filter_assessments
from ..models import Assessment, WorkflowError, WorkflowState
from ..models.workflow import may_keep_draft
from ..option_metrics import load_factors, option_rows, totals
from .review_steps import StepPage, step_buttons, take_step

PAGE_SIZE = 25
ALREADY_CREATED = gettext_lazy(
    "Biểu mẫu này đã được gửi và đánh giá đã được lưu trước đó; không tạo thêm đánh giá trùng."
)
OPTION_ALREADY_CREATED = gettext_lazy(
    "Biểu mẫu này đã được gửi và giải pháp đã được lưu trước đó; không tạo thêm giải pháp trùng."
)
EDIT_CONFLICT = gettext_lazy(
    "Đánh giá này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của bạn chưa "
    "được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại thay đổi."
)
SAVED = gettext_lazy("Đã lưu đánh giá SXSH.")
SAVED_AS_DRAFT = gettext_lazy(
    "Đã lưu đánh giá SXSH ở trạng thái nháp. Hãy thêm các giải pháp, rồi bấm “Duyệt” để duyệt "
    "đánh giá."
)
OPTION_EDIT_CONFLICT = gettext_lazy(
    "Giải pháp này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của bạn chưa "
    "được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại thay đổi."
)


def back_when_locked(view):
    """A change of an approved assessment (or of its options) asked by someone who could make it
    once the assessment is reopened (assessments/access.py decides: `Locked`): back to the
    assessment with the locked message, as a locked annual report does, not a bare 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Locked as locked:
            messages.error(request, locked.message)
            return redirect(locked.record)

    return wrapper


@login_required
def assessment_list(request):
    visible = Assessment.objects.visible_to(request.user)
    assessments, form = filter_assessments(
        request.GET, visible, province=territory.province_for(request.user)
    )
    assessments = (
        assessments.select_related("facility__commune__parent")
        .annotate(option_count=Count("options"))
        .order_by(F("start_date").desc(nulls_last=True), "-id")
    )
    context = {"form": form, **paginate(request, assessments, PAGE_SIZE)}
    return render(request, "assessments/assessment_list.html", context)


@login_required
def assessment_detail(request, pk):
    assessment = get_assessment_for_user(request, pk)
    rows = option_rows(assessment.options.all(), load_factors())
    editable = assessment.is_editable_by(request.user)
    context = {
        "assessment": assessment,
        "rows": rows,
        "totals": totals(rows),
        "editable": editable,
        **step_buttons(assessment, request.user),
        # Staff approve a draft (or returned) assessment as their save would (a submitted one:
        # the review step, `can_review`).
        "can_approve_by_save": assessment.may_approve_by_save(request.user),
        "option_form": OptionForm(auto_id="new_option_%s") if editable else None,
        "events": assessment.events.select_related("by"),
        "history": shown_history(request, services.assessment_history(assessment, limit=None)),
    }
    return render(request, "assessments/assessment_detail.html", context)


@role_required(Role.STAFF, Role.FACILITY)
def assessment_create(request):
    form = AssessmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_save(
                assessment=form.instance, by=request.user, keep_draft=_keeps_draft(request)
            )
        except services.AlreadyCreated as sent_again:
            messages.info(request, ALREADY_CREATED)
            return redirect(sent_again.record)
        messages.success(request, _saved_message(assessment, request.user))
        return redirect(assessment)
    context = {
        "form": form,
        "assessment": None,
        **_save_buttons(request.user, None),
        **_sector_examples(request, form),
    }
    return render(request, "assessments/assessment_form.html", context)


def _keeps_draft(request) -> bool:
    """Whether the form was sent with its "Lưu nháp để thêm giải pháp" button (the rule of who
    may keep a draft is models.workflow.state_after_save's)."""
    return "keep_draft" in request.POST


def _save_buttons(user, stored: str | None) -> dict:
    """The save buttons of the assessment form: staff save and approve, and may keep a new
    assessment or a draft a draft (models.workflow.may_keep_draft)."""
    return {
        "approves_on_save": user.is_portal_staff,
        "can_keep_draft": may_keep_draft(user, stored),
    }


def _saved_message(assessment, user) -> str:
    if user.is_portal_staff and assessment.state == WorkflowState.DRAFT:
        return SAVED_AS_DRAFT
    return SAVED


LIBRARY_EXAMPLES = 10


def _sector_examples(request, form) -> dict:
    """The ten most relevant library examples for the facility's sector (its VSIC division): the
    facility of a representative with one facility, else the one chosen (`?facility=` or the
    form's choice), among those the user may see."""
    facility = getattr(form.instance, "facility", None) if form.instance.facility_id else None
    if facility is None:
        chosen = form.data.get("facility") or request.GET.get("facility")
        if chosen and str(chosen).isdigit():
            facility = (
                Facility.objects.visible_to(request.user)
                .select_related("industry")
                .filter(pk=chosen)
                .first()
            )
    division = facility.industry.division_code if facility else ""
    if not division:
        return {"library_division": None, "library_examples": []}
    return {
        "library_division": division,
        "library_examples": library.examples(division, limit=LIBRARY_EXAMPLES),
    }


@login_required
@back_when_locked
def assessment_edit(request, pk):
    assessment = get_assessment_for_user(request, pk, write=True)
    form = AssessmentForm(request.POST or None, instance=assessment, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_unless_stale(
                form,
                lambda: services.assessment_save(
                    assessment=form.instance, by=request.user, keep_draft=_keeps_draft(request)
                ),
            )
        except WorkflowError as error:  # changed state meanwhile
            messages.error(request, " ".join(error.messages))
            return redirect(assessment)
        except ValidationError as error:  # an option stored meanwhile does not fit
            _show_refusal(form, error)
        else:
            if saved:
                messages.success(request, _saved_message(form.instance, request.user))
                return redirect(assessment)
            messages.error(request, EDIT_CONFLICT)  # nothing saved: show the latest values
            assessment = get_assessment_for_user(request, pk, write=True)
            form = AssessmentForm(instance=assessment, user=request.user)
    # The state as loaded: a refused save (the errors above) has not moved it.
    context = {
        "form": form,
        "assessment": assessment,
        **_save_buttons(request.user, assessment.state),
    }
    return render(request, "assessments/assessment_form.html", context)


def _show_refusal(form, error: ValidationError) -> None:
    """Show on `form` a refusal its service found after locking the rows (other records changed
    since the form was checked); nothing was saved."""
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


# --- workflow -----------------------------------------------------------------------------

STEPS = {
    "submit": StepPage(
        gettext_lazy("Gửi đánh giá để Sở Công Thương duyệt"),
        gettext_lazy("Đã gửi đánh giá, chờ Sở Công Thương duyệt."),
    ),
    "return": StepPage(
        gettext_lazy("Trả lại đánh giá để cơ sở sửa"),
        gettext_lazy("Đã trả lại đánh giá cho cơ sở."),
    ),
    "approve": StepPage(gettext_lazy("Duyệt đánh giá"), gettext_lazy("Đã duyệt đánh giá.")),
    # Staff approving a draft (or returned) assessment as their save of it would.
    "approve_by_save": StepPage(gettext_lazy("Duyệt đánh giá"), gettext_lazy("Đã duyệt đánh giá.")),
    # As the annual report's reopen: back to the facility as returned (the reason is shown as
    # the Department's comment), or as a draft (a staff entry, for one).
    "reopen": StepPage(
        gettext_lazy("Mở lại đánh giá đã duyệt"),
        gettext_lazy("Đã mở lại đánh giá."),
        targets=(
            gettext_lazy("Đưa đánh giá về trạng thái"),
            [
                (WorkflowState.RETURNED, gettext_lazy("Trả lại để cơ sở sửa")),
                (WorkflowState.DRAFT, gettext_lazy("Nháp")),
            ],
        ),
    ),
}


def _transition(request, assessment, step):
    # The detail page's "submit" button posts straight here: no separate confirmation.
    return take_step(
        request,
        assessment,
        step,
        page=STEPS[step],
        service=services.assessment_step,
        template="assessments/assessment_transition.html",
        ask_first=False,
    )


@login_required
@back_when_locked
def assessment_submit(request, pk):
    assessment = get_assessment_for_user(request, pk, write=True)
    if not request.user.is_facility_user:
        raise PermissionDenied  # staff entries are approved when saved; nothing to submit
    return _transition(request, assessment, "submit")


@login_required
def assessment_return(request, pk):
    assessment = get_assessment_for_user(request, pk, review=True)
    return _transition(request, assessment, "return")


@login_required
def assessment_approve(request, pk):
    assessment = get_assessment_for_user(request, pk, review=True)
    return _transition(request, assessment, "approve")


@login_required
def assessment_approve_draft(request, pk):
    """Staff approve a draft or returned assessment (a staff entry kept a draft while its options
    were entered, for one) as their save of it would (assessment_services
    .assessment_approve_by_save), after a confirmation page; a submitted one takes the review
    step (`assessment_approve`)."""
    assessment = get_assessment_for_user(request, pk, review=True)
    if not assessment.may_approve_by_save(request.user):
        texts = assessment.workflow_texts
        messages.error(request, texts.wrong_state % {"state": assessment.get_state_display()})
        return redirect(assessment)
    return take_step(
        request,
        assessment,
        "approve",
        page=STEPS["approve_by_save"],
        service=_approve_by_save,
        template="assessments/assessment_approve_draft.html",
        ask_first=True,  # only the confirmation page's own button approves it
    )


def _approve_by_save(assessment, step, *, by, text="", to_state=None):
    return services.assessment_approve_by_save(assessment=assessment, by=by, comment=text)


@login_required
def assessment_reopen(request, pk):
    assessment = get_assessment_for_user(request, pk, review=True)
    return _transition(request, assessment, "reopen")


# --- options ------------------------------------------------------------------------------


@login_required
@back_when_locked
def option_create(request, pk):
    assessment = get_assessment_for_user(request, pk, write=True)
    form = OptionForm(request.POST or None)
    form.instance.assessment = assessment
    if request.method == "POST" and form.is_valid():
        try:
            services.option_add(option=form.instance, by=request.user)
        except services.AlreadyCreated as sent_again:
            messages.info(request, OPTION_ALREADY_CREATED)
            return redirect(f"{sent_again.record.assessment.get_absolute_url()}#options")
        except ValidationError as error:  # another option stored meanwhile
            _show_refusal(form, error)
        else:
            messages.success(request, _("Đã thêm giải pháp."))
            return redirect(f"{assessment.get_absolute_url()}#options")
    context = {"form": form, "assessment": assessment, "option": None}
    return render(request, "assessments/option_form.html", context)


@login_required
@back_when_locked
def option_edit(request, pk):
    option = get_option_for_user(request, pk, write=True)
    form = OptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.option_save(form=form, by=request.user)
        except ValidationError as error:  # another option stored meanwhile
            _show_refusal(form, error)
        else:
            if saved:
                messages.success(request, _("Đã lưu giải pháp."))
                return redirect(f"{option.assessment.get_absolute_url()}#options")
            messages.error(request, OPTION_EDIT_CONFLICT)  # nothing saved: show the latest values
            option = get_option_for_user(request, pk, write=True)
            form = OptionForm(instance=option)
    context = {"form": form, "assessment": option.assessment, "option": option}
    return render(request, "assessments/option_form.html", context)


@login_required
@back_when_locked
def option_delete(request, pk):
    option = get_option_for_user(request, pk, write=True)
    if request.method == "POST":
        services.option_delete(option=option, by=request.user)
        messages.success(request, _("Đã xóa giải pháp."))
        return redirect(f"{option.assessment.get_absolute_url()}#options")
    context = {"option": option, "assessment": option.assessment}
    return render(request, "assessments/option_delete.html", context)
