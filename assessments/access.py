"""Per-object getters for annual reports, assessments, options and activities. Each scopes through
the record's `visible_to(user)`, which is `Facility.objects.visible_to(user)`: an outsider gets 404,
a user who may see but not act gets 403, except a user whose role could change an assessment were it
open (staff, the facility's representative) when it is approved, and its representative while it
waits for review: `Locked`, which its views answer by sending them back to it with the model's
message (as the annual report views do)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from facilities.models import Facility

from .models import (
    Activity,
    Actor,
    AnnualReport,
    Assessment,
    Option,
    WorkflowState,
    actor_of,
)


class Locked(PermissionDenied):
    """A change of an approved (locked) record asked by a user who could change it once it is
    reopened, or of a submitted one by its facility. `record` is the record, `message` the model's
    own words (`workflow_texts.locked` or `.pending`).
    Still a PermissionDenied: a view that does not answer it otherwise gives 403."""

    def __init__(self, record, message=None):
        message = message or record.workflow_texts.locked
        super().__init__(message)
        self.record = record
        self.message = message


def get_report_for_user(request, pk, *, write=False, review=False) -> AnnualReport:
    """Annual report `pk` if the user may see it (else 404); with `write`, 403 unless they may
    change it in its current state; with `review` (return/approve/reopen), 403 unless staff."""
    return _get_reviewed_record(AnnualReport, request, pk, write=write, review=review)


def get_assessment_for_user(request, pk, *, write=False, review=False) -> Assessment:
    """Assessment `pk` if the user may see it (else 404); with `write`, 403 unless they may change
    it in its current state (`Locked` when it is approved and they could change it once reopened);
    with `review` (return/approve/reopen), 403 unless staff."""
    return _get_reviewed_record(Assessment, request, pk, write=write, review=review)


def get_option_for_user(request, pk, *, write=False) -> Option:
    """Option `pk` of an assessment the user may see (else 404); with `write`, 403 unless they
    may change that assessment now (`Locked` when it is approved and they could change it once
    reopened)."""
    visible = Assessment.objects.visible_to(request.user)
    options = Option.objects.select_related("assessment__facility")
    option = get_object_or_404(options, pk=pk, assessment__in=visible)
    if write:
        check_editable(option.assessment, request.user)
    return option


def get_activity_for_user(request, pk, *, write=False) -> Activity:
    """Activity `pk` if the user may see it (facility users: only those their facilities took part
    in; a national installation's province: those it holds or its facilities took part in; else
    404); with `write` (edit, delete, participants), 403 unless `may_change_activity`."""
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if write and not may_change_activity(request.user, activity):
        raise PermissionDenied
    return activity


def may_change_activity(user, activity: Activity) -> bool:
    """Staff of the province that holds the activity (Activity.province) change it; in a
    one-province installation, and for superusers, every staff member."""
    if not user.is_portal_staff:
        return False
    province = user.scoped_province
    return province is None or (bool(province) and activity.province == province)


def activity_participants_for(user, activity: Activity):
    """The facilities among `activity`'s participants that `user` may see, None for all: a
    facility's representative sees only their own facilities, a reader from a province other
    than the one holding it (a national installation) only that province's facilities."""
    if user.is_facility_user:
        return Facility.objects.visible_to(user)
    province = user.scoped_province
    if province is None or (province and activity.province == province):
        return None
    return Facility.objects.visible_to(user)


def counted_participations(user) -> Q | None:
    """The participations a list of activities counts for `user` (a filter through Activity's
    `participation`), None for all: as `activity_participants_for`, a reader from a province
    other than the one holding an activity counts only their own province's facilities; a
    facility's representative reads the totals, as on the activity's page."""
    province = user.scoped_province
    if user.is_facility_user or not province:
        return None
    return Q(province=province) | Q(participation__facility__in=Facility.objects.visible_to(user))


def _get_reviewed_record(model, request, pk, *, write, review):
    """The rule shared by the records under the review workflow (annual reports, assessments):
    404 unless visible; with `write`, 403 unless editable by the user in the record's current
    state (`Locked` when approved and they could change it once reopened); with `review`, 403
    unless staff."""
    visible = model.objects.visible_to(request.user).select_related("facility")
    record = get_object_or_404(visible, pk=pk)
    if write:
        check_editable(record, request.user)
    if review and not request.user.is_portal_staff:
        raise PermissionDenied
    return record


def check_editable(record, user) -> None:
    """Nothing if `user` may change `record` now; `Locked` if it is approved and their role could
    change it once reopened (staff, the facility's representative), or submitted and they are its
    facility; else 403. The services check it again with the record locked."""
    if record.is_editable_by(user):
        return
    actor = actor_of(user, record)
    if record.is_locked and actor is not None:
        raise Locked(record)
    if record.state == WorkflowState.SUBMITTED and actor == Actor.FACILITY:
        # Waiting for the Department: the facility is told so, on the record's page.
        raise Locked(record, record.workflow_texts.pending)
    raise PermissionDenied
