"""Who may see and change what. Every view goes through this module.

- staff (and superusers): every facility, read and write;
- officials: every facility, read only;
- facility users: only the facilities they are linked to; write limited to their profile fields;
- anyone else: nothing.

A national deployment (a ministry seeing all provinces, staff scoped to their province) is a change
to `scope_facilities` only.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Role


def sees_all_facilities(user) -> bool:
    """Staff and officials see every facility; facility users only their own."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in (Role.STAFF, Role.OFFICIAL)


def scope_facilities(queryset, user):
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_all_facilities(user):
        return queryset
    if user.role == Role.FACILITY:
        return queryset.filter(users=user)
    return queryset.none()


def can_write_facility(user, facility) -> bool:
    """Whether `user` may change `facility` at all (which fields is the form's business)."""
    if user.is_portal_staff:
        return True
    return user.is_facility_user and facility.users.filter(pk=user.pk).exists()


def get_facility_for_user(request, pk, *, write=False):
    """Facility `pk` if the user may see it (else 404) and, with `write`, change it (else 403)."""
    from facilities.models import Facility

    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    if write and not can_write_facility(request.user, facility):
        raise PermissionDenied
    return facility


def role_required(*roles):
    """Login required; then 403 unless the user has one of `roles` (superusers count as staff)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            user = request.user
            allowed = user.role in roles or (user.is_superuser and Role.STAFF in roles)
            if not (user.is_active and allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.STAFF)
staff_or_official_required = role_required(Role.STAFF, Role.OFFICIAL)


def get_assessment_for_user(request, pk, *, write=False, review=False):
    """Assessment `pk` if the user may see it (else 404); with `write`, 403 unless they may change
    it in its current state; with `review` (return/approve/reopen), 403 unless staff."""
    from assessments.models import Assessment

    return _get_reviewed_record(Assessment, request, pk, write=write, review=review)


def get_option_for_user(request, pk, *, write=False):
    """Option `pk` of an assessment the user may see (else 404); with `write`, 403 unless they
    may change that assessment now."""
    from assessments.models import Assessment, Option

    visible = Assessment.objects.visible_to(request.user)
    options = Option.objects.select_related("assessment__facility")
    option = get_object_or_404(options, pk=pk, assessment__in=visible)
    if write and not option.assessment.is_editable_by(request.user):
        raise PermissionDenied
    return option


def get_activity_for_user(request, pk, *, write=False):
    """Activity `pk` if the user may see it (facility users: only those their facilities took part
    in; else 404); with `write`, 403 unless staff."""
    from assessments.models import Activity

    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if write and not request.user.is_portal_staff:
        raise PermissionDenied
    return activity


def get_report_for_user(request, pk, *, write=False, review=False):
    """Annual report `pk` if the user may see it (else 404); with `write`, 403 unless they may
    change it in its current state; with `review` (return/approve/reopen), 403 unless staff."""
    from assessments.models import AnnualReport

    return _get_reviewed_record(AnnualReport, request, pk, write=write, review=review)


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


def can_use_generated_reports(user) -> bool:
    """Staff and officials request and download generated reports (reports.Report)."""
    return user.is_authenticated and (user.is_portal_staff or user.is_official)


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


def get_generated_report_for_user(request, pk, *, delete=False):
    """Generated report `pk` for staff and officials (else 404); with `delete`, 403 unless
    staff."""
    from reports.models import Report

    if not can_use_generated_reports(request.user):
        raise Http404
    report = get_object_or_404(Report, pk=pk)
    if delete and not request.user.is_portal_staff:
        raise PermissionDenied
    return report
