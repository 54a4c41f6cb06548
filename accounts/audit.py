"""Audit entries for account creation and role changes, wherever they happen (the staff page,
the admin, a command, the shell): model signals on User. The actor and the address come from
the request being handled (core.audit.current_request), none outside a request."""

from core.audit import Action, current_request, record

# What makes up a user's role: the portal role and Django's staff and superuser flags.
ROLE_FIELDS = ("role", "is_staff", "is_superuser")


def remember_role(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: keep the stored role of an existing user to compare after the save."""
    instance._audit_old_role = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(ROLE_FIELDS):
        return  # e.g. last_login: no query on every login
    instance._audit_old_role = (
        sender._default_manager.filter(pk=instance.pk).values(*ROLE_FIELDS).first()
    )


def record_account_change(sender, instance, created, raw=False, **kwargs):
    """post_save: an `account_created` or a `role_changed` entry."""
    if raw:
        return
    now = {field: getattr(instance, field) for field in ROLE_FIELDS}
    if created:
        record(current_request(), Action.ACCOUNT_CREATED, target=instance, **now)
        return
    before = getattr(instance, "_audit_old_role", None)
    instance._audit_old_role = None
    if before is not None and before != now:
        record(current_request(), Action.ROLE_CHANGED, target=instance, before=before, after=now)
