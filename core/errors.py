"""Reference ids for unexpected errors: the page or job shows the id, the log holds the traceback
with the same id, and the exception text is never shown to the user."""

import logging
import uuid

from django.utils.translation import gettext as _


def new_reference() -> str:
    return uuid.uuid4().hex[:12]


def log_exception(logger: logging.Logger, message: str, *args) -> str:
    """Log the exception being handled with its traceback and a new reference id; return the id.

    Call it inside an `except` block (or wherever sys.exc_info() is set)."""
    reference = new_reference()
    logger.error(f"[ref {reference}] {message}", *args, exc_info=True)
    return reference


def system_error_message(reference: str) -> str:
    """What a user sees instead of the exception text."""
    return _("Lỗi hệ thống, mã tham chiếu: %(reference)s") % {"reference": reference}
