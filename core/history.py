"""Readable change history (who, when, what changed) from django-simple-history records:
Vietnamese field labels, choice labels instead of codes, related records by name, numbers the
Vietnamese way (20,8 not 20.800), the user's name, local times (the template's |date), the
notes the portal wrote as reasons in the reader's language (core/notes.py)."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_history_manager_for_model

from . import notes
from .notes import with_shown_reasons
from .numbers import format_amount, format_decimal

# The first history record of a value a data migration seeded (a factor, a plan indicator),
# written before its first edit (`record_seeded_value`); shown in the reader's language.
SEEDED_VALUE_REASON = _("Giá trị khởi tạo ban đầu")
notes.register(SEEDED_VALUE_REASON)

# simple-history's own labels are English ("Created"/"Changed"/"Deleted").
HISTORY_TYPES = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


def record_seeded_value(record) -> None:
    """Records seeded by a data migration (factors, plan indicators) have no history record;
    write one with the value in the database first, so the history shows what the first edit
    replaced. It is the system's (no user), not the editor's; these models store no creation
    time, so it is dated when written, just before the first edit."""
    model = type(record)
    if record.pk and not record.history.exists():
        seeded = model.objects.get(pk=record.pk)
        # Else simple-history credits the user of the request that edits it first.
        seeded._history_user = None
        get_history_manager_for_model(model).bulk_history_create(
            [seeded], default_change_reason=notes.stored(SEEDED_VALUE_REASON)
        )


def history_entries(instance, limit: int = 30) -> list[dict]:
    """Latest `limit` history records of `instance`, each with the fields changed from the one
    before it: [{"date", "user", "kind" ("+"/"~"/"-"), "type", "reason", "changes": [(label,
    old, new), ...]}]; none for rows created without history (migrations, bulk_create), nor
    for an edit that changed no shown field and gave no reason."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    return entries_from_records(records, instance._meta.model, limit)


def entries_from_records(records, model, limit: int = 30) -> list[dict]:
    """As history_entries, from one record's history records already loaded (newest first,
    with `history_user`): one query for the histories of many records. The record after the
    last entry, when given, is only compared with."""
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                shown = _shown_change(field, change.old, change.new)
                if shown is not None:
                    changes.append((_label(field), *shown))
            if newer.history_type == "~" and not changes and not newer.history_change_reason:
                # A save that changed nothing shown (the form sent back the same values):
                # no entry of its own, or the history fills with empty "Sửa" lines.
                continue
        entries.append(
            {
                "date": newer.history_date,
                "user": _user_name(newer.history_user),
                "kind": newer.history_type,
                "type": HISTORY_TYPES.get(newer.history_type, newer.get_history_type_display()),
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return with_shown_reasons(entries)


def _user_name(user) -> str:
    if user is None:
        return ""
    full_name = getattr(user, "full_name", "") or user.get_full_name()
    return full_name or user.get_username()


def _label(field) -> str:
    """The field's label with a capital first letter, unless it starts with a unit or symbol
    that has its own capitals ("tCO₂/MWh" stays, not "TCO₂/MWh")."""
    label = str(field.verbose_name)
    first_word = label.split(" ", 1)[0]
    return label if any(ch.isupper() for ch in first_word[1:]) else capfirst(label)


def _shown_change(field, old, new) -> tuple[str, str] | None:
    """`old` and `new` as shown, told apart: two times within one minute (a returned report
    sent again at once, its "ngày gửi") with their seconds, not "21:47 → 21:47"; None when they
    would still read the same (within one second), a change no reader can see."""
    before, after = _display(field, old), _display(field, new)
    if before == after and isinstance(old, datetime) and isinstance(new, datetime):
        before, after = _display(field, old, seconds=True), _display(field, new, seconds=True)
    return None if before == after else (before, after)


def _display(field, value, *, seconds: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, Decimal):
        # Every decimal the field stores: a factor's 0,0001543 → 0,0001544 is a change.
        return format_decimal(value)
    if isinstance(value, float):
        return format_amount(value)
    if isinstance(value, int) and not isinstance(field, models.PositiveSmallIntegerField):
        return format_amount(value)  # 850000 -> 850.000 (years stay 2019)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)
