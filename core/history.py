"""Readable change history (who, when, what changed) from django-simple-history records."""


def history_entries(instance, limit: int = 30) -> list[dict]:
    """Latest `limit` history records of `instance`, each with the fields changed from the one
    before it: [{"date", "user", "type", "reason", "changes": [(label, old, new), ...]}]."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    if not records:  # e.g. rows created by a migration or bulk_create without history
        return []
    model = instance._meta.model
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                label = model._meta.get_field(change.field).verbose_name
                changes.append((label, _display(change.old), _display(change.new)))
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
