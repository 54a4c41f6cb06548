"""Audit entries for accounts, wherever the change happens (the staff page, the admin, a command,
the shell): model signals on User and on its facility links. An account's creation, a change of
its role, of its e-mail (where set-password links go), of its activation, and every facility
link added or removed (a facility account reads and edits its facilities' data), a change of
its password (never the password itself) and its deletion. API tokens issued and revoked are
recorded by accounts/tokens.py with `record_event`; the login lockout by accounts/lockout.py with
`record_lockout`; the two-factor and set-password-link actions by their views.

The actor and the address come from the request being handled (core.audit.current_request),
none outside a request: the system. A command names itself with `performed_by` ("manage.py
add_user"), kept in each entry's detail as `via`; Django's own commands (createsuperuser,
changepassword, shell), which the portal cannot wrap, are named from the command line.

Who reads the log in the portal (accounts:audit_log) is decided here too: `visible_events`."""

import os
import sys
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db.models.signals import m2m_changed, pre_delete

from core.audit import Action, client_address, current_request, describe, record
from core.models import AuditEvent

# What makes up a user's role: the portal role, Django's staff and superuser flags, and the
# province whose data a staff member or official of a national installation works on (it scopes
# what they see, DESIGN §2).
ROLE_FIELDS = ("role", "is_staff", "is_superuser", "province")
# Compared before and after each save: the role, where set-password links go, and whether the
# account may log in at all.
WATCHED_FIELDS = (*ROLE_FIELDS, "email", "is_active")

_source: ContextVar[str] = ContextVar("accounts_audit_source", default="")


@contextmanager
def performed_by(source: str):
    """The entries recorded inside the block, outside a request, name `source` as `via`."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


# Commands that serve requests (their changes name the request's user) rather than change data.
SERVING_COMMANDS = {"runserver", "run_portal"}


def record_event(action: str, target, *, actor=None, **detail):
    """An account entry: the actor given, else the current request's, or the command at work."""
    request = current_request()
    if request is None:
        via = _source.get() or _running_command()
        if via:
            detail["via"] = via
    return record(request, action, actor=actor, target=target, **detail)


def _running_command() -> str:
    """`manage.py NAME` when this process runs a management command that did not name itself
    with `performed_by` (Django's createsuperuser, changepassword, shell); else ""."""
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    if program not in ("manage.py", "django-admin") or len(sys.argv) < 2:
        return ""
    command = sys.argv[1]
    return "" if command.startswith("-") or command in SERVING_COMMANDS else f"{program} {command}"


def remember_role(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: keep the stored watched fields of an existing user to compare after the save
    (only those being saved when the save names its fields), and whether the password changes.

    Django's own rehash at login (a new hasher or work factor for the same password:
    `check_password` saves only the password with `_password` cleared) is not a change."""
    instance._audit_old_role = None
    instance._audit_password_changed = False
    if raw or instance.pk is None or instance._state.adding:
        return
    fields = [
        f for f in (*WATCHED_FIELDS, "password") if update_fields is None or f in update_fields
    ]
    if not fields:
        return  # e.g. last_login: no query on every login
    before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    if before is not None and "password" in before:
        rehash = set(update_fields or ()) == {"password"} and instance._password is None
        instance._audit_password_changed = before["password"] != instance.password and not rehash
        del before["password"]  # the hash is compared here, never kept
    instance._audit_old_role = before


def record_account_change(sender, instance, created, raw=False, **kwargs):
    """post_save: an `account_created` entry, or `role_changed`, `email_changed`,
    `account_deactivated` / `account_reactivated` entries for what changed."""
    if raw:
        return
    if created:
        now = {field: getattr(instance, field) for field in WATCHED_FIELDS}
        record_event(Action.ACCOUNT_CREATED, instance, **now)
        return
    before = getattr(instance, "_audit_old_role", None)
    instance._audit_old_role = None
    if before is None:
        return
    old_role = {field: before[field] for field in ROLE_FIELDS if field in before}
    new_role = {field: getattr(instance, field) for field in old_role}
    if old_role != new_role:
        record_event(Action.ROLE_CHANGED, instance, before=old_role, after=new_role)
    if "email" in before and before["email"] != instance.email:
        record_event(Action.EMAIL_CHANGED, instance, before=before["email"], after=instance.email)
    if "is_active" in before and before["is_active"] != instance.is_active:
        action = Action.ACCOUNT_REACTIVATED if instance.is_active else Action.ACCOUNT_DEACTIVATED
        record_event(action, instance)
    if getattr(instance, "_audit_password_changed", False):
        instance._audit_password_changed = False
        record_event(Action.PASSWORD_CHANGED, instance, actor=_password_changer(instance))


def _password_changer(account):
    """Who changed `account`'s password: the signed-in user of the request (the account itself
    on its password page, staff in the admin), else the account (its owner through a
    forgotten-password or set-password link); None outside a request."""
    request = current_request()
    if request is None:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else account


def record_account_deletion(sender, instance, **kwargs):
    """pre_delete: an `account_deleted` entry naming the account, its role and its e-mail, from
    any deletion (the admin's page and its bulk action, a command, the shell). Written before
    the row goes so that an entry of an account deleting itself has its actor's link emptied
    with the others' (AuditEvent.actor is SET_NULL) and keeps the user name."""
    detail = {field: getattr(instance, field) for field in (*ROLE_FIELDS, "email")}
    record_event(Action.ACCOUNT_DELETED, instance, **detail)


def record_lockout(request, username):
    """A login lockout that just began for (`username`, the request's address): the user name
    tried (never the password) and the address; the account's province when it exists (whose
    staff read it), no actor (nobody signed in did it)."""
    user_model = apps.get_model("accounts", "User")
    account = None
    if username:
        account = user_model._default_manager.filter(username__iexact=username).first()
    return AuditEvent.objects.create(
        action=Action.ACCOUNT_LOCKED_OUT,
        target=describe(account) if account is not None else "",
        client_address=client_address(request),
        detail={"username": str(username or "")[:150]},
        province=account.data_province if account is not None else "",
    )


def visible_events(user):
    """The audit entries `user` may read: none unless portal staff; every entry in a
    one-province installation and for a superuser; in a national installation (DESIGN §2) a
    province's staff read the entries written about their province's data (AuditEvent.province,
    kept when an account later moves), never another province's nor the system's; a staff
    member without a province only their own."""
    if not user.is_authenticated or not user.is_portal_staff:
        return AuditEvent.objects.none()
    province = user.scoped_province
    if province is None:
        return AuditEvent.objects.all()
    if not province:
        return AuditEvent.objects.filter(actor=user)
    return AuditEvent.objects.filter(province=province)


# --- Facility links (User.facilities, from either side) -------------------------------------------

_UNLINKING = "_audit_facility_unlinking"


def _columns():
    """The link table's user and facility columns."""
    field = apps.get_model("accounts", "User")._meta.get_field("facilities")
    return f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def record_facility_links(sender, instance, action, reverse, pk_set, raw=False, **kwargs):
    """m2m_changed: one `facility_links_changed` entry per account whose links were added or
    removed, naming the facilities (id, tax code, name). Removals are read before they happen
    (a clear gives no keys)."""
    if raw:
        return
    user_column, facility_column = _columns()
    own, other = (facility_column, user_column) if reverse else (user_column, facility_column)
    if action in ("pre_remove", "pre_clear"):
        rows = sender._default_manager.filter(**{own: instance.pk})
        if action == "pre_remove":
            rows = rows.filter(**{f"{other}__in": pk_set})
        setattr(instance, _UNLINKING, list(rows.values_list(user_column, facility_column)))
        return
    if action == "post_add":
        pairs = [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set or ()]
        key = "added"
    elif action in ("post_remove", "post_clear"):
        pairs = getattr(instance, _UNLINKING, None) or []
        setattr(instance, _UNLINKING, None)
        key = "removed"
    else:
        return
    if not pairs:
        return
    by_user = defaultdict(list)
    for user_id, facility_id in pairs:
        by_user[user_id].append(facility_id)
    user_model = apps.get_model("accounts", "User")
    facility_model = user_model._meta.get_field("facilities").related_model
    users = user_model._default_manager.in_bulk(list(by_user))
    facilities = facility_model._default_manager.in_bulk({f for _u, f in pairs})
    for user_id, facility_ids in by_user.items():
        named = [
            {"id": pk, "tax_code": facilities[pk].tax_code, "name": facilities[pk].name}
            for pk in sorted(facility_ids)
            if pk in facilities
        ]
        changes = {"added": [], "removed": [], key: named}
        record_event(Action.FACILITY_LINKS_CHANGED, users.get(user_id, user_id), **changes)


def _connect_facility_links(through):
    m2m_changed.connect(
        record_facility_links, sender=through, dispatch_uid="accounts.record_facility_links"
    )


# Connected once the link table's model exists (this module is imported by AccountsConfig.ready).
apps.lazy_model_operation(_connect_facility_links, ("accounts", "user_facilities"))
pre_delete.connect(
    record_account_deletion, sender="accounts.User", dispatch_uid="accounts.record_deletion"
)
