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
from django.shortcuts import get_object_or_404

from .models import Role


def scope_facilities(queryset, user):
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role in (Role.STAFF, Role.OFFICIAL):
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
