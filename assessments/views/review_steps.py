"""The one form-based helper behind every review-workflow view (annual reports, assessments).

A reviewed object's views give, per step, only their own wording (`StepPage`) and the service
that takes the step; what a step needs (a text or not, required or not) comes from the workflow
table, `models.workflow.TRANSITIONS`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from ..models import TRANSITIONS, WorkflowError
from ..review_forms import TransitionForm

# The label of the text field of each step that takes one (the same for every reviewed object).
TEXT_LABELS = {
    "return": _("Ý kiến gửi cơ sở (bắt buộc)"),
    "approve": _("Ý kiến (không bắt buộc)"),
    "reopen": _("Lý do mở lại (bắt buộc)"),
}


@dataclass(frozen=True)
class StepPage:
    heading: str  # of the confirmation page
    done: str  # the message once the step is taken
    targets: tuple = ()  # (label, choices) when the user picks the state the step leads to

    def form(self, record, step, data=None) -> TransitionForm:
        transition = TRANSITIONS[step]
        return TransitionForm(
            data,
            takes_text=transition.takes_text,
            label=TEXT_LABELS.get(step),
            required=bool(transition.text_required),
            required_message=record.workflow_texts.text_required.get(step),
            targets=self.targets,
        )


def step_buttons(record, user) -> dict:
    """Which workflow buttons the record's detail page shows `user` (from the table)."""
    return {
        "can_submit": record.may_take("submit", user),
        "can_review": record.may_take("approve", user),  # return and approve: the same rule
        "can_reopen": record.may_take("reopen", user),
    }


def take_step(request, record, step, *, page: StepPage, service, template, ask_first=True):
    """GET: the confirmation page. POST: validate the form, take the step through
    `service(record, step, by=, text=, to_state=)`, then back to the record with its message.
    With `ask_first`, a POST without "confirm" (a button posting straight from elsewhere) only
    shows the confirmation page."""
    confirmed = request.method == "POST" and ("confirm" in request.POST or not ask_first)
    form = page.form(record, step, request.POST if confirmed else None)
    if confirmed and form.is_valid():
        data = form.cleaned_data
        try:
            service(
                record,
                step,
                by=request.user,
                text=data.get("text", ""),
                to_state=data.get("to_state"),
            )
        except WorkflowError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, page.done)
        return redirect(record)
    context = {"record": record, "action": step, "step": page, "form": form}
    return render(request, template, context)
