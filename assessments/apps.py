from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Báo cáo và đánh giá SXSH")

    def ready(self):
        from django.db.models.signals import pre_save

        from core.data_version import changed

        # history_notes: register the notes this app writes into histories (core/notes.py) in
        # every process.
        from . import history_notes, signals  # noqa: F401

        # A change to a facility's approved reports, or to what the rules read of the facility,
        # re-checks the findings of its other reports once it commits (assessments.signals).
        changed.connect(signals.on_data_changed, dispatch_uid="assessments-quality-refresh")
        from facilities.reference import units_moved

        units_moved.connect(signals.on_units_moved, dispatch_uid="assessments-units-moved")
        pre_save.connect(
            signals.on_facility_saving,
            sender="facilities.Facility",
            dispatch_uid="assessments-quality-facility-saving",
        )
