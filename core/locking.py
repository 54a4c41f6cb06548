"""Optimistic locking of edit forms (facility and annual-report edits) and of the imports'
bulk writes (`lock_unchanged`).

The models carry a `version` that every save increments in SQL (`Versioned`), and the imports
bump it in their bulk updates. An edit form carries, in a hidden field, the version it was
loaded with; the view locks the row (SELECT ... FOR UPDATE) in the transaction that saves and
refuses the save when the row's version has moved on since."""

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Optimistic locking. `version` goes up by one in every save, computed in SQL
    (version = version + 1) so that concurrent saves never lose an increment; bulk writes
    (the imports) bump it the same way. An edit form carries the version it showed and the
    view refuses the save when the row's version has moved on (`is_stale`)."""

    version = models.PositiveIntegerField(_("phiên bản dữ liệu"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        loaded = self.version
        self.version = models.F("version") + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = loaded
            raise
        self.refresh_from_db(fields=["version"])


class VersionFieldMixin:
    """Adds the hidden `version` field to a ModelForm of a Versioned model. A POST without it
    (an old page, a script) is not checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        if self.instance.pk:
            self.initial["version"] = self.instance.version


def is_stale(form) -> bool:
    """Lock the form's row for the current transaction (call inside transaction.atomic) and
    tell whether it has been saved by someone else since the form was loaded."""
    loaded = form.cleaned_data.get("version")
    if loaded is None or form.instance.pk is None:
        return False
    rows = type(form.instance).objects.select_for_update().filter(pk=form.instance.pk)
    return rows.values_list("version", flat=True).get() != loaded


def save_unless_stale(form, save=None) -> bool:
    """Save `form` (or call `save()`) in one transaction with its row locked, unless someone
    saved the row since the form was loaded (`is_stale`); True when it was saved. The view then
    shows the form again with the latest values and a conflict message."""
    with transaction.atomic():
        if is_stale(form):
            return False
        (save or form.save)()
    return True


class ConcurrentChange(IntegrityError):
    """Rows a bulk write was planned on were changed by someone else before the write could lock
    them. An IntegrityError, as a duplicate key from a concurrent insert is: whoever writes
    refuses the whole write with the same "changed concurrently" message."""


def lock_unchanged(model, objects, chunk: int = 20_000) -> None:
    """Lock the stored rows of `objects` (Versioned instances loaded earlier) for the current
    transaction (call inside transaction.atomic), in primary-key order, and raise
    ConcurrentChange when a row's version has moved on since it was loaded, or the row is gone.
    The imports plan on rows read before their transaction and call this before writing."""
    loaded = {obj.pk: obj.version for obj in objects}
    keys = sorted(loaded)
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        rows = model.objects.select_for_update().filter(pk__in=part).order_by("pk")
        stored = dict(rows.values_list("pk", "version"))
        if stored != {pk: loaded[pk] for pk in part}:
            raise ConcurrentChange(f"{model.__name__}: rows changed since they were read")
