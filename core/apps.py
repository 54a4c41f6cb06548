from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers of every layer (DESIGN §1): the audit log, the request middleware and the
    error reference ids. `core` imports nothing from the portal's other apps."""

    name = "core"
    verbose_name = _("Hệ thống")
