"""Who may see and change a facility. Scoping is `Facility.objects.visible_to(user)`; the
per-object getter below is what every view of one facility goes through, and `is_representative`
is the one answer to "does this user act for this facility" (used by the reports' and the
assessments' workflows too)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Facility


def is_representative(user, facility) -> bool:
    """Whether `user` is an (active) facility user linked to `facility`."""
    return user.is_facility_user and facility.users.filter(pk=user.pk).exists()


def can_write_facility(user, facility) -> bool:
    """Whether `user` may change `facility` at all (which fields is the form's business)."""
    return user.is_portal_staff or is_representative(user, facility)


def get_facility_for_user(request, pk, *, write=False) -> Facility:
    """Facility `pk` if the user may see it (else 404) and, with `write`, change it (else 403)."""
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    if write and not can_write_facility(request.user, facility):
        raise PermissionDenied
    return facility
