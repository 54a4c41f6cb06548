"""Role checks: who holds which role. Every view goes through one of these decorators or through
the per-object getter of the app that owns the object (`facilities/access.py`,
`assessments/access.py`, `reports/access.py`), which scope through
`Facility.objects.visible_to(user)`.

- staff (and superusers): every facility, read and write;
- officials: every facility, read only;
- facility users: only the facilities they are linked to; write limited to their profile fields;
- anyone else: nothing.

The nation-wide reference tables (conversion and grid emission factors, data-quality rules, the
option library, the plan's priority sectors) feed every province's figures: in a national
installation only a superuser changes them (`may_edit_shared_reference`).

Nothing here knows about facilities: `accounts` sits below them (DESIGN §1).
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Role


def user_check_required(check):
    """Login required; then 403 unless `check(user)` holds."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_required(*roles):
    """Login required; then 403 unless the user has one of `roles` (superusers count as staff)."""
    return user_check_required(lambda user: user.has_role(*roles))


staff_required = role_required(Role.STAFF)
staff_or_official_required = user_check_required(lambda user: user.is_staff_or_official)


def may_edit_shared_reference(user) -> bool:
    """Who changes the reference tables every province's figures read (DESIGN §2): staff in a
    one-province installation; in a national installation only a superuser, since one province's
    staff would otherwise change every other province's figures."""
    if not (user.is_authenticated and user.is_portal_staff):
        return False
    return settings.PORTAL_SCOPE != "national" or user.is_superuser


shared_reference_editor_required = user_check_required(may_edit_shared_reference)
