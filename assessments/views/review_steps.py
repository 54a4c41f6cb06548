"""The one form-based helper behind every review-workflow view (annual reports, assessments).

A reviewed object's views give, per step, only their own wording (`StepPage`) and the service
that takes the step; what a step needs (a text or not, required or not) comes from the workflow
table, `models.workflow.TRANSITIONS`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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


@dataclass(frozen=True)
class ReviewQueue:
    """A filtered list of records waiting for review that staff work through. Its rows, the
    record's page and its review steps carry the list's own URL (path and query) as `next`; after
    one of `steps` taken from it, the next record still waiting in the same list (its filters,
    its order: `records`, the list's own function) opens, or the list again once none is left
    after the record."""

    url_name: str  # the list's page
    records: Callable  # (params, user) -> (queryset, form): the list with its filters
    order: tuple  # the list's order, ascending (PostgreSQL: nulls last)
    next_opened: str  # the message on the next record's page
    steps: tuple = ("approve", "return")

    def back_url(self, request) -> str:
        """The list's page the user came from (`next`, in the form or the URL), "" when there is
        none or it is anything else (another site, another page) or the user may not open it
        (the list is for staff only)."""
        url = request.POST.get("next") or request.GET.get("next") or ""
        if not (url and request.user.is_portal_staff):
            return ""
        safe = url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        parts = urlsplit(url)
        if not safe or parts.path != reverse(self.url_name):
            return ""
        return f"{parts.path}?{parts.query}" if parts.query else parts.path

    def after_step(self, request, record, step, back):
        """Where a successful `step` on `record` taken from the list `back` leads (above)."""
        if step not in self.steps:
            return redirect(record)
        params = QueryDict(urlsplit(back).query)
        records, _form = self.records(params, request.user)
        waiting = records.filter(_after(record, self.order), state__in=TRANSITIONS[step].sources)
        following = waiting.order_by(*self.order).first()
        if following is None or not following.may_take(step, request.user):
            return redirect(back)
        messages.info(request, self.next_opened)
        return redirect(with_back(following.get_absolute_url(), back))


def with_back(url: str, back: str) -> str:
    """`url` carrying the list's page `back` as `next` (nothing when none)."""
    return f"{url}?{urlencode({'next': back})}" if back else url


def _after(record, order) -> Q:
    """The rows after `record` in ascending `order`, nulls last (as PostgreSQL sorts)."""
    after, same = Q(pk__in=[]), Q()
    for name in order:
        value = getattr(record, name)
        if value is None:
            same &= Q(**{f"{name}__isnull": True})  # nothing is after a null but further fields
            continue
        after |= same & (Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True}))
        same &= Q(**{name: value})
    return after


def take_step(
    request, record, step, *, page: StepPage, service, template, ask_first=True, queue=None
):
    """GET: the confirmation page. POST: validate the form, take the step through
    `service(record, step, by=, text=, to_state=)`, then back to the record with its message.
    With `ask_first`, a POST without "confirm" (a button posting straight from elsewhere) only
    shows the confirmation page. With a `queue` (ReviewQueue), a step taken from that list leads
    on through it."""
    confirmed = request.method == "POST" and ("confirm" in request.POST or not ask_first)
    form = page.form(record, step, request.POST if confirmed else None)
    back = queue.back_url(request) if queue else ""
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
            return redirect(with_back(record.get_absolute_url(), back))
        messages.success(request, page.done)
        if back:
            return queue.after_step(request, record, step, back)
        return redirect(record)
    context = {"record": record, "action": step, "step": page, "form": form, "back": back}
    return render(request, template, context)
