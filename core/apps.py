from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers of every layer (DESIGN §1): the audit log, the request middleware, the
    error reference ids, spreadsheet reading, locking, history, pagination, text and the data
    version cache. `core` imports nothing from the portal's other apps."""

    name = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        # The watched models are named by label in data_version.WATCHED and looked up here.
        from django.db.backends.signals import connection_created

        from .collation import register_sqlite_collation
        from .data_version import connect_signals

        connect_signals()
        connection_created.connect(register_sqlite_collation, dispatch_uid="core.collation")
