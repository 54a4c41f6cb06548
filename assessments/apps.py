from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Báo cáo và đánh giá SXSH")

    def ready(self):
        # Register the notes this app writes into histories (core/notes.py) in every process.
        from . import history_notes  # noqa: F401
