from .access import may_edit_shared_reference
from .models import Role


def portal(request):
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else ""
    if user is not None and user.is_authenticated and user.is_superuser:
        role = Role.STAFF
    may_edit_reference = bool(role) and may_edit_shared_reference(user)
    return {"portal_role": role, "Role": Role, "may_edit_shared_reference": may_edit_reference}
