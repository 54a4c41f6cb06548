from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations, the top app layer (DESIGN §1): backup and restore, health checks, the process
    runner, the home page and the demo seeding that spans every app. Nothing below imports it."""

    name = "ops"
    verbose_name = _("Vận hành")
