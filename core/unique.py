"""Creation forms sent twice at the same moment (a double click, two tabs, a retried request).

Both requests pass the form's "already exists" check before either has saved, and the
database's unique constraint refuses the second insert. `save_unless_duplicate` turns that
refusal into an error on the form's field, as if the second request had come a moment later,
instead of a server error; nothing of the second request is saved."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction


def save_unless_duplicate(form, field: str, message: str, save=None) -> bool:
    """Save the creation `form` (or call `save()`, which saves `form.instance`) in a savepoint;
    True when it was saved. When the database refuses the new record because a record it may
    not duplicate was stored meanwhile (`collides`), nothing is saved, `message` (naming the
    value) goes on `field`, and the result is False: the view shows the form again, with
    status 409. Any other refusal of the database is raised as it is."""
    try:
        with transaction.atomic():
            (save or form.save)()
    except IntegrityError:
        if not collides(form.instance):
            raise
        form.add_error(field, ValidationError(message, code="unique"))
        return False
    return True


def collides(record: models.Model) -> bool:
    """Whether the unsaved `record` duplicates a stored one under one of its model's uniqueness
    rules (a unique field, unique_together, a UniqueConstraint, conditional or on expressions).
    Its check constraints are not asked: only a duplicate is the other request's doing."""
    try:
        record.validate_unique()
    except ValidationError:
        return True
    using = router.db_for_write(type(record), instance=record)
    for model, constraints in record.get_constraints():
        for constraint in constraints:
            if not isinstance(constraint, models.UniqueConstraint):
                continue
            try:
                constraint.validate(model, record, using=using)
            except ValidationError:
                return True
    return False
