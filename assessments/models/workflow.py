"""The one review workflow of annual reports and assessments (DESIGN §3):

    draft ─submit→ submitted ─return→ returned ─submit→ submitted ─approve→ approved
    approved ─reopen (staff, with a reason)→ returned | draft

`TRANSITIONS` is the whole state machine: for each step, the states it starts from, the states it
may lead to (the first is the default), who may take it and whether it needs a text. Records that
staff enter (or import) skip the queue: they are approved when saved (`state_after_save`), unless
staff keep a new record or a draft a draft (`may_keep_draft`: an assessment whose options are still
to be entered), which they approve later as their save of it would (`may_approve_by_save`). A
reviewed model inherits `Reviewed`, has `facility`, `state`, `review_comment` and `updated_at`
fields and an `events` relation (a WorkflowEvent foreign key), and states its own wording in
`workflow_texts`. The writes are in assessments/review.py; options keep their own status.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from facilities.access import is_representative
from facilities.models import Facility


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")


class Actor(models.TextChoices):
    FACILITY = "facility"  # the facility's representative
    STAFF = "staff"  # the Department's staff


State = WorkflowState


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # the first is the default
    actor: str
    text_required: bool | None = None  # None: the step takes no comment or reason

    @property
    def takes_text(self) -> bool:
        return self.text_required is not None


TRANSITIONS = {
    "submit": Transition((State.DRAFT, State.RETURNED), (State.SUBMITTED,), Actor.FACILITY),
    "return": Transition((State.SUBMITTED,), (State.RETURNED,), Actor.STAFF, True),
    "approve": Transition((State.SUBMITTED,), (State.APPROVED,), Actor.STAFF, False),
    "reopen": Transition((State.APPROVED,), (State.RETURNED, State.DRAFT), Actor.STAFF, True),
}

# States in which a facility's representative may still change their own record.
EDITABLE_BY_FACILITY = (State.DRAFT, State.RETURNED)

# The Department's comment is stored (and shown to the facility) when a step ends here.
COMMENTED_STATES = (State.RETURNED, State.APPROVED)


def actor_of(user, record) -> str | None:
    """The role in which `user` acts on `record` in the workflow, or None (officials, outsiders)."""
    if user.is_portal_staff:
        return Actor.STAFF
    if is_representative(user, record.facility):
        return Actor.FACILITY
    return None


class WorkflowError(ValidationError):
    """A step the record's current state does not allow, or a missing comment or reason."""


@dataclass(frozen=True)
class WorkflowTexts:
    """A reviewed model's own wording of the workflow's errors (one full sentence each, so that
    each stays one translatable message)."""

    wrong_state: str  # with %(state)s
    locked: str  # a save of an approved record
    pending: str  # a facility's save of a submitted record
    text_required: dict  # step -> message when its required text is missing


class Reviewed:
    """Behaviour of a model under the review workflow (a mixin: adds no field)."""

    workflow_texts: WorkflowTexts

    @property
    def is_locked(self) -> bool:
        return self.state == State.APPROVED

    def is_editable_by(self, user) -> bool:
        """Staff may change any record not yet approved (it is approved on save); a facility's
        representative only their own drafts and returned records; officials nothing."""
        if self.is_locked:
            return False
        if user.is_portal_staff:
            return True
        return self.state in EDITABLE_BY_FACILITY and actor_of(user, self) == Actor.FACILITY

    def may_take(self, step: str, user) -> bool:
        """Whether `user` may take `step` now (their role and the current state)."""
        transition = TRANSITIONS[step]
        return self.state in transition.sources and actor_of(user, self) == transition.actor

    def may_approve_by_save(self, user) -> bool:
        """Whether `user` may approve the record as stored, as their save of it would
        (`state_after_save`): staff, a draft (a staff entry kept a draft, for one) or a returned
        record; a submitted one takes the "approve" step instead."""
        return user.is_portal_staff and self.state in EDITABLE_BY_FACILITY

    def stamp(self, step: str, by) -> list[str]:
        """Set the model's own fields of `step` (dates, reviewer); return their names."""
        return []

    def move_to(self, state: str, text: str = "") -> list[str]:
        """Set the state a step or a save leads to and, with it, the Department's comment: the
        step's `text` where the new state shows one (COMMENTED_STATES), else none (a save takes
        no text; an earlier comment is no longer current and stays in the workflow log, in the
        event of the step that wrote it). Return the names of the fields set."""
        self.state = state
        self.review_comment = text if state in COMMENTED_STATES else ""
        return ["state", "review_comment"]


# DESIGN §3: staff-entered or staff-imported reports are approved when saved.
STAFF_ENTRY_STATE = State.APPROVED


def state_after_import() -> str:
    """The state of an imported report (staff's web import or the command line), whatever state a
    report it replaces was in: the file is the department's own data."""
    return STAFF_ENTRY_STATE


def may_keep_draft(by, stored: str | None) -> bool:
    """Whether `by` may ask their save to keep the record a draft, `stored` being its state in
    the database (None when new): staff, for a new record or a draft (its options, say, are still
    to be entered); a returned or submitted record staff save is approved, and a facility's save
    keeps the state anyway."""
    return by.is_portal_staff and stored in (None, State.DRAFT)


def state_after_save(record: Reviewed, stored: str | None, by, *, keep_draft: bool = False) -> str:
    """The state of `record` once `by` saves it, `stored` being its state in the database (None
    when new): staff entries are approved when saved, unless staff ask to keep a new record or a
    draft a draft (`keep_draft`, honoured only where `may_keep_draft`); a facility's save keeps
    the state."""
    texts = record.workflow_texts
    if stored == State.APPROVED:
        raise WorkflowError(texts.locked)
    if keep_draft and may_keep_draft(by, stored):
        return State.DRAFT
    if by.is_portal_staff:
        return STAFF_ENTRY_STATE
    if stored == State.SUBMITTED:
        raise WorkflowError(texts.pending)
    return stored or State.DRAFT


class WorkflowQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=WorkflowState.APPROVED)

    def visible_to(self, user):
        return self.filter(facility__in=Facility.objects.visible_to(user))


class WorkflowEvent(models.Model):
    """One step of a report's or assessment's review workflow, with its comment."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Gửi duyệt")
        RETURN = "return", _("Trả lại")
        APPROVE = "approve", _("Duyệt")
        REOPEN = "reopen", _("Mở lại")
        SAVE = "save", _("Lưu")
        IMPORT = "import", _("Nhập từ tệp")

    report = models.ForeignKey(
        "AnnualReport", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    assessment = models.ForeignKey(
        "Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=WorkflowState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=WorkflowState.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, assessment__isnull=True)
                | Q(report__isnull=True, assessment__isnull=False),
                name="workflowevent_one_target",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"
