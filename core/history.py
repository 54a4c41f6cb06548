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
    if record.pk and not record.history.exists():
        record_seeded_values(type(record), [record.pk])


def record_seeded_values(model, pks) -> None:
    """As record_seeded_value, for the rows `pks` of `model` at once (those without a history
    record get one): a page that changes many rows in one save (the priority sectors)."""
    history = get_history_manager_for_model(model)
    recorded = set(
        history.filter(**{f"{model._meta.pk.attname}__in": pks}).values_list(
            model._meta.pk.attname, flat=True
        )
    )
    seeded = list(model.objects.filter(pk__in=set(pks) - recorded).order_by("pk"))
    for row in seeded:
        # Else simple-history credits the user of the request that edits it first.
        row._history_user = None
    if seeded:
        history.bulk_history_create(seeded, default_change_reason=notes.stored(SEEDED_VALUE_REASON))


# ?history=all: a page lists every entry of its history, not only the latest `limit`.
ALL_HISTORY_PARAM, ALL_HISTORY_VALUE = "history", "all"
SHOWN_BY_DEFAULT = 10


class History(list):
    """History entries shown on a page, newest first, with `older`: how many older entries
    were left out (includes/change_history.html says so), and `all_url`: the page listing them
    all, when its view can (`shown_history`)."""

    older = 0
    all_url = ""


def shown_history(request, entries, limit: int = SHOWN_BY_DEFAULT) -> History:
    """The latest `limit` of `entries` (every entry, newest first), or all of them when the page
    was asked with ?history=all; the one home of "cut, say so, link to the rest"."""
    entries = list(entries)
    if request.GET.get(ALL_HISTORY_PARAM) == ALL_HISTORY_VALUE:
        return History(entries)
    shown = History(entries[:limit])
    shown.older = len(entries) - len(shown)
    if shown.older:
        params = request.GET.copy()
        params[ALL_HISTORY_PARAM] = ALL_HISTORY_VALUE
        shown.all_url = f"{request.path}?{params.urlencode()}"
    return shown


def history_for(request, instance, limit: int = SHOWN_BY_DEFAULT) -> History:
    """`instance`'s history as its page shows it (`shown_history`)."""
    entries = history_entries(instance, None) if instance.pk else []
    return shown_history(request, entries, limit)


def history_entries(instance, limit: int | None = 30) -> History:
    """Latest `limit` (None: every) history records of `instance`, each with the fields changed
    from the one before it: [{"date", "user", "kind" ("+"/"~"/"-"), "type", "reason",
    "changes": [(label, old, new), ...]}]; none for rows created without history (migrations,
    bulk_create), nor for an edit that changed no shown field and gave no reason. Its `older`
    says how many older entries were left out (History)."""
    records = list(instance.history.select_related("history_user").order_by("-history_id"))
    entries = entries_from_records(records, instance._meta.model)
    shown = History(entries if limit is None else entries[:limit])
    shown.older = len(entries) - len(shown)
    return shown


def combined_entries(records, model, subject, shown_on_create=()) -> list[dict]:
    """The entries of the histories of many rows of `model` (`records`: a queryset of their
    history records), newest first, each with "subject": `subject(record)` of its row's latest
    record (a year, a division), for one table of a page's changes. A creation lists the
    fields named in `shown_on_create` with their first values. One query."""
    by_row: dict[object, list] = {}
    pk_name = model._meta.pk.attname
    for record in records.select_related("history_user").order_by("-history_id"):
        by_row.setdefault(getattr(record, pk_name), []).append(record)
    entries = []
    related_names: dict = {}
    for row_records in by_row.values():
        name = subject(row_records[0])
        first = row_records[-1]
        for entry in entries_from_records(row_records, model):
            entry["subject"] = name
            if entry["kind"] == "+" and first.history_type == "+":
                for field_name in shown_on_create:
                    field = model._meta.get_field(field_name)
                    value = getattr(first, field.attname)
                    entry["changes"].append(
                        (_label(field), "—", _display(field, value, cache=related_names))
                    )
            entries.append(entry)
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


def deleted_records(records, limit: int = SHOWN_BY_DEFAULT) -> list:
    """The latest `limit` deletions among `records` (a queryset of history records): the
    history records of type "-", newest first, each with `user_name`, who deleted it. The rows
    a confirmation page said were kept in the history, for a list's "recently deleted"."""
    deleted = list(
        records.filter(history_type="-")
        .select_related("history_user")
        .order_by("-history_id")[:limit]
    )
    for record in deleted:
        record.user_name = _user_name(record.history_user)
    return deleted


def entries_from_records(records, model, limit: int | None = None) -> list[dict]:
    """As history_entries, from one record's history records already loaded (newest first,
    with `history_user`): one query for the histories of many records. The record after the
    last entry, when given, is only compared with. A related record a change names is read
    once per call."""
    entries = []
    related_names: dict = {}
    records = list(records)
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                shown = _shown_change(field, change.old, change.new, related_names)
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


def _shown_change(field, old, new, cache=None) -> tuple[str, str] | None:
    """`old` and `new` as shown, told apart: two times within one minute (a returned report
    sent again at once, its "ngày gửi") with their seconds, not "21:47 → 21:47"; two different
    related rows of one name with what tells them apart (`_related_apart`); None when they
    would still read the same (within one second), a change no reader can see."""
    before, after = _display(field, old, cache=cache), _display(field, new, cache=cache)
    if before == after and isinstance(old, datetime) and isinstance(new, datetime):
        before, after = _display(field, old, seconds=True), _display(field, new, seconds=True)
    if before == after and old != new and isinstance(field, models.ForeignKey):
        before, after = _related_apart(field, old, new, before)
    return None if before == after else (before, after)


def _related_apart(field, old, new, shown: str) -> tuple[str, str]:
    """Two different related rows that both read `shown` ("Huyện Châu Thành" of Bến Tre and of
    Trà Vinh, "Xã Đồng Tiến" of two old districts), told apart: each with the name of its
    `parent` when it has one (an administrative unit: "Huyện Châu Thành (Tỉnh Bến Tre)"), else
    with its `code`, else with its id; the first of these that differs."""
    rows = field.related_model._base_manager.in_bulk([old, new])
    qualifiers = (
        lambda row: getattr(row, "parent", None),
        lambda row: getattr(row, "code", None),
        lambda row: f"#{row.pk}",
    )
    for qualifier in qualifiers:
        before, after = (
            _qualified(shown, rows.get(value), qualifier, value) for value in (old, new)
        )
        if before != after:
            return before, after
    return shown, shown


def _qualified(shown: str, row, qualifier, value) -> str:
    """`shown` with `qualifier(row)` in brackets; the id alone of a row that no longer exists."""
    if row is None:
        return f"#{value}"
    extra = qualifier(row)
    return f"{shown} ({extra})" if extra not in (None, "") else shown


def _display(field, value, *, seconds: bool = False, cache: dict | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, value)
        if cache is None or key not in cache:
            related = field.related_model.objects.filter(pk=value).first()
            shown = str(related) if related is not None else f"#{value}"
            if cache is None:
                return shown
            cache[key] = shown
        return cache[key]
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
