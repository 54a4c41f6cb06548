"""Who may use generated reports (reports.Report): staff and officials request and download them,
only staff issue and delete them; officials see issued documents and their own requests, never
another draft (404), and may cancel their own request while it waits for a worker; facility users
lack the role (403, DESIGN §2).

A national installation (DESIGN §2): a province's staff and officials request, read and (staff)
issue their province's documents; the Ministry requests and reads the national document and reads
every province's issued ones, and issues nothing (`document_province`, `Report.objects.visible_to`).
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Report


def can_use_generated_reports(user) -> bool:
    """Staff and officials request and download generated reports."""
    return user.is_authenticated and user.is_staff_or_official


def document_province(user) -> str | None:
    """The documents `user` requests and (staff) writes the narrative of, as `Report.province`:
    "" in a one-province installation; in a national one the user's province, or "" (the
    national document) for the Ministry and superusers; None — none at all — for an account of a
    national installation without a province."""
    if settings.PORTAL_SCOPE != "national":
        return ""
    scoped = user.scoped_province
    if scoped is None:
        return ""
    return scoped or None


def generated_reports_required(view):
    """Login required; then 403 unless staff or official (DESIGN §2: a user without the role)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_use_generated_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_generated_report_for_user(request, pk, *, delete=False, issue=False) -> Report:
    """Generated report `pk` for staff, and for officials when it is issued or their own request
    (a draft of someone else's is 404 to them: `Report.objects.visible_to`); with `issue`, 403
    unless staff; with `delete`, 403 unless staff or the requester of a job not finished yet
    (they may cancel it while it waits: `Report.cancellable_by`, checked again when cancelling);
    403 to a user without the role (a facility user)."""
    user = request.user
    if not can_use_generated_reports(user):
        raise PermissionDenied
    report = get_object_or_404(Report.objects.visible_to(user), pk=pk)
    if user.is_portal_staff:
        return report
    if issue:
        raise PermissionDenied
    own_job = report.requested_by_id == user.pk and not report.is_finished
    if delete and not (own_job and not report.is_issued):
        raise PermissionDenied
    return report
