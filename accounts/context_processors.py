from .models import Role


def portal(request):
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else ""
    if user is not None and user.is_authenticated and user.is_superuser:
        role = Role.STAFF
    return {"portal_role": role, "Role": Role}
