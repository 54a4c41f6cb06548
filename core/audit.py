"""The audit log: `record(request, action, actor=..., target=..., **detail)` appends one
`AuditEvent` (who, when, what, from where).

Views pass their request. Code without one (model signals, commands, Celery tasks) passes
`current_request()`: the request being handled in this thread or task, set by
core.middleware.RequestContextMiddleware, or None outside a request (the actor is then the one
given, or nobody, and there is no address).

An entry is written in the portal's language (settings.LANGUAGE_CODE, Vietnamese), whatever the
actor's: the target's name (`describe`), an export's filters and format (`filters_detail`,
`format_label`). `detail_rows(event)` is an entry's detail in words, as the admin and the staff's
log page (accounts:audit_log) show it.
"""

import ipaddress
import re
from contextvars import ContextVar
from datetime import date

from axes.helpers import get_client_ip_address
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .history import _display, _label
from .models import AuditEvent

Action = AuditEvent.Action

_current_request: ContextVar = ContextVar("core_current_request", default=None)


def current_request():
    """The HttpRequest being handled (RequestContextMiddleware), or None."""
    return _current_request.get()


def client_address(request) -> str | None:
    """The real client address, behind the proxies the login lockout trusts (django-axes)."""
    if request is None:
        return None
    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def describe(target) -> str:
    """Short text naming the target: "<model> #<pk> <label>" for a model instance, its label in
    the portal's language (a report's kind and format), not the actor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _describe(target)


def _describe(target) -> str:
    if isinstance(target, models.Model):
        label = f"{target._meta.model_name} #{target.pk}"
        # An account is named by its username (its str() is the person's full name).
        text = target.get_username() if hasattr(target, "get_username") else str(target)
        return f"{label} {text}"[:200] if text else label
    return str(target or "")[:200]


def record(request, action: str, *, actor=None, target="", **detail) -> AuditEvent:
    """Append an audit entry. The actor defaults to the request's signed-in user; the entry
    keeps the province whose data the actor works on now (the account's `data_province`, a
    national installation's), which decides whose staff read it, wherever the account moves."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=Action(action),
        target=describe(target),
        client_address=client_address(request),
        detail=detail,
        province=getattr(actor, "data_province", "") or "",
    )


# --- An export's filters and format, in words -------------------------------------------------

# The formats a file leaves the portal in (the codes the views take and reports.Report keeps).
FORMAT_LABELS = {
    "xlsx": _("Excel (XLSX)"),
    "csv": "CSV",
    "pdf": "PDF",
    "docx": _("Word (DOCX)"),
}


def format_label(code: str) -> str:
    """A file format's name as an entry keeps it ("Excel (XLSX)" for "xlsx")."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(FORMAT_LABELS.get(code, code))


def filters_detail(form: forms.Form, *, skip: tuple[str, ...] = ()) -> list[list[str]]:
    """The filters a bound filter form applied, as an entry keeps them: [label, value] pairs in
    the form's order, in the portal's language, each value as the list showed it (a ward's or a
    VSIC division's name, a choice's label, Có/Không), never a database id or a URL parameter.
    Only the filters set; none when the form is invalid (the list is then not filtered).
    `skip`: fields that are no filter (a sort order)."""
    if not form.is_bound or not form.is_valid():
        return []
    shown = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if name in skip or not _is_set(field, value):
                continue
            shown.append([str(capfirst(field.label or name)), _filter_value(field, value)])
    return shown


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from _flat(label)
        else:
            yield key, label


def _is_set(field, value) -> bool:
    """An unticked box filters nothing; a yes/no/any choice's "no" does."""
    if value is False:
        return isinstance(field, forms.NullBooleanField)
    if isinstance(value, models.QuerySet):  # a multiple choice
        return value.exists()
    return value not in (None, "", [], ())


def _filter_value(field, value) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.ChoiceField):
        values = value if isinstance(value, list | tuple) else [value]
        labels = {str(key): label for key, label in _flat(field.choices)}
        return ", ".join(str(labels.get(str(item), item)) for item in values)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- The target, readably -------------------------------------------------------------------------

# `describe`'s texts in the reader's language: the named lists an export takes, and the models
# an entry names ("<model> #<pk> <label>").
NAMED_TARGETS = {
    "facilities": _("Sổ đăng ký cơ sở"),
    "quality_findings": _("Phát hiện kiểm tra số liệu"),
    "sector_scores": _("Điểm hiệu quả năng lượng theo ngành"),
    "outgoing_register": _("Sổ đăng ký văn bản đi"),
}
# "Tài khoản" alone is the accounts app's name ("Accounts"): an account here is one account.
MODEL_TARGETS = {
    "user": pgettext_lazy("audit target kind", "Tài khoản"),
    "facility": _("Cơ sở"),
    "report": _("Tệp báo cáo"),
}
_MODEL_TARGET = re.compile(r"^(?P<model>[a-z_]+) #(?P<pk>\d+)(?: (?P<text>.*))?$", re.S)


def target_text(target: str) -> tuple[str, str]:
    """An entry's target (`describe`'s text) in words, as (what it is, its name): ("Cơ sở",
    "Công ty A") for "facility #3 Công ty A", (the list an export took, ""); anything else
    ("", as written)."""
    if target in NAMED_TARGETS:
        return str(NAMED_TARGETS[target]), ""
    match = _MODEL_TARGET.match(target or "")
    if match is None or match["model"] not in MODEL_TARGETS:
        return "", target
    return str(MODEL_TARGETS[match["model"]]), match["text"] or f"#{match['pk']}"


# --- The detail, readably -------------------------------------------------------------------------

# The entries' detail keys (core.audit.record's keyword arguments), in the reader's language.
# Keys that are fields of the account or of its API tokens take the field's own label instead
# (DETAIL_FIELDS), their values shown as the history shows them (core.history: a role's name,
# ✓/✗, local times).
DETAIL_LABELS = {
    "is_staff": _("Vào trang quản trị"),
    "is_superuser": pgettext_lazy("vai trò", "Quản trị hệ thống"),
    "email": _("E-mail"),
    "is_active": _("Tài khoản hoạt động"),
    "before": _("Trước khi đổi"),
    "after": _("Sau khi đổi"),
    "added": _("Cơ sở được thêm"),
    "removed": _("Cơ sở bị bỏ"),
    "via": _("Thực hiện qua"),
    "token": _("mã truy cập API"),
    "tokens": _("Mã truy cập API đã thu hồi"),
    "devices": _("Số thiết bị xác thực đã xóa"),
    "format": _("Định dạng"),
    "filters": _("Bộ lọc"),
    "year": _("Năm"),
    "facility_id": _("Số hiệu cơ sở trên cổng"),
    "recipients": _("Số người nhận"),
    "sha256": "SHA-256",
}
# Key → (the account's relation to the field's model, "" for the account itself; field name).
DETAIL_FIELDS = {
    "username": ("", "username"),
    "role": ("", "role"),
    "province": ("", "province"),
    "label": ("api_tokens", "label"),
    "expires_at": ("api_tokens", "expires_at"),
    "reason": ("api_tokens", "revoked_because"),
}
# The order of the keys shown (the database keeps no order), the others after them, `via` last.
DETAIL_ORDER = (
    *("username", "role", "is_staff", "is_superuser", "province", "email", "is_active"),
    *("before", "after"),
    *("added", "removed", "token", "tokens", "label", "expires_at", "reason", "devices"),
    *("facility_id", "year", "recipients", "format", "filters", "sha256"),
)


def _field(key):
    """The model field behind a detail key, read from the account model (this layer does not
    import the accounts app), or None."""
    relation, name = DETAIL_FIELDS.get(key, ("", None))
    if name is None:
        return None
    try:
        model = get_user_model()
        if relation:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return None


def detail_label(key: str) -> str:
    field = _field(key)
    if field is not None:
        return _label(field)
    label = DETAIL_LABELS.get(key)
    return capfirst(str(label)) if label is not None else key


def detail_value(key: str, value) -> str:
    """One detail value as text: the labels of codes, ✓/✗, facilities by name and tax code."""
    if key == "province" and value and isinstance(value, str):
        return province_label(value)
    if (
        key == "format" and isinstance(value, str) and value in FORMAT_LABELS
    ):  # the code an older or a report's entry keeps
        return str(FORMAT_LABELS[value])
    if key == "filters" and isinstance(value, list):  # filters_detail's [label, value] pairs
        return "; ".join(f"{label}: {shown}" for label, shown in value) or "—"
    field = _field(key)
    if field is not None:
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            value = parse_datetime(value) or value
        return _display(field, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict):
        if not value:
            return "—"
        return "; ".join(f"{detail_label(k)}: {detail_value(k, v)}" for k, v in _ordered(value))
    if isinstance(value, list):
        return "; ".join(_item(item) for item in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def province_label(code: str) -> str:
    """A 2025 province by name and code ("Tỉnh Bắc Ninh (24)"), the code alone when its units
    are not loaded. The names are read once a request (the units are looked up by label: this
    layer does not import the facilities app)."""
    request = current_request()
    names = getattr(request, "_audit_province_names", None)
    if names is None:
        try:
            units = apps.get_model("facilities", "AdminUnit").objects
        except LookupError:
            return str(code)
        names = dict(units.filter(scheme="2025", level="province").values_list("code", "name"))
        if request is not None:
            request._audit_province_names = names
    name = names.get(str(code))
    return f"{name} ({code})" if name else str(code)


def _item(item) -> str:
    if isinstance(item, dict) and "tax_code" in item:  # a facility: its name and tax code
        return f"{item.get('name', '')} ({_('Mã số thuế')}: {item['tax_code']})"
    if isinstance(item, dict) and "token" in item:  # an API token: its id and label
        return f"#{item['token']} {item.get('label', '')}".strip()
    return detail_value("", item)


def _ordered(detail: dict) -> list:
    known = [(k, detail[k]) for k in DETAIL_ORDER if k in detail]
    others = [(k, detail[k]) for k in sorted(detail) if k not in DETAIL_ORDER and k != "via"]
    return known + others + ([("via", detail["via"])] if "via" in detail else [])


def detail_rows(event: AuditEvent) -> list[tuple[str, str]]:
    """An entry's detail as (label, value) rows in the reader's language, in DETAIL_ORDER with
    `via` last: what the admin and the staff's log page (accounts:audit_log) show."""
    if not isinstance(event.detail, dict):
        return []
    return [(detail_label(key), detail_value(key, value)) for key, value in _ordered(event.detail)]
