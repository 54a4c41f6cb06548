"""Per-object getters for annual reports, assessments, options and activities. Each scopes through
the record's `visible_to(user)`, which is `Facility.objects.visible_to(user)`: an outsider gets 404,
a user who may see but not act gets 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Activity, AnnualReport, Assessment, Option


def get_report_for_user(request, pk, *, write=False, review=False) -> AnnualReport:
    """Annual report `pk` if the user may see it (else 404); with `write`, 403 unless they may
    change it in its current state; with `review` (return/approve/reopen), 403 unless staff."""
    return _get_reviewed_record(AnnualReport, request, pk, write=write, review=review)


def get_assessment_for_user(request, pk, *, write=False, review=False) -> Assessment:
    """Assessment `pk` if the user may see it (else 404); with `write`, 403 unless they may change
    it in its current state; with `review` (return/approve/reopen), 403 unless staff."""
    return _get_reviewed_record(Assessment, request, pk, write=write, review=review)


def get_option_for_user(request, pk, *, write=False) -> Option:
    """Option `pk` of an assessment the user may see (else 404); with `write`, 403 unless they
    may change that assessment now."""
    visible = Assessment.objects.visible_to(request.user)
    options = Option.objects.select_related("assessment__facility")
    option = get_object_or_404(options, pk=pk, assessment__in=visible)
    if write and not option.assessment.is_editable_by(request.user):
        raise PermissionDenied
    return option


def get_activity_for_user(request, pk, *, write=False) -> Activity:
    """Activity `pk` if the user may see it (facility users: only those their facilities took part
    in; else 404); with `write`, 403 unless staff."""
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if write and not request.user.is_portal_staff:
        raise PermissionDenied
    return activity


def _get_reviewed_record(model, request, pk, *, write, review):
    """The rule shared by the records under the review workflow (annual reports, assessments):
    404 unless visible; with `write`, 403 unless editable by the user in the record's current
    state; with `review`, 403 unless staff."""
    visible = model.objects.visible_to(request.user).select_related("facility")
    record = get_object_or_404(visible, pk=pk)
    if write and not record.is_editable_by(request.user):
        raise PermissionDenied
    if review and not request.user.is_portal_staff:
        raise PermissionDenied
    return record
