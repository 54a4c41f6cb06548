"""Who may use generated reports (reports.Report): staff and officials request and download them,
only staff delete them; facility users must not learn that they exist (404)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Report


def can_use_generated_reports(user) -> bool:
    """Staff and officials request and download generated reports."""
    return user.is_authenticated and user.is_staff_or_official


def generated_reports_required(view):
    """Login required; then 404 unless staff or official (facility users must not learn that
    generated reports exist)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_use_generated_reports(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_generated_report_for_user(request, pk, *, delete=False) -> Report:
    """Generated report `pk` for staff and officials (else 404); with `delete`, 403 unless
    staff."""
    if not can_use_generated_reports(request.user):
        raise Http404
    report = get_object_or_404(Report, pk=pk)
    if delete and not request.user.is_portal_staff:
        raise PermissionDenied
    return report
