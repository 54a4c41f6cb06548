from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Chỉ tiêu và báo cáo")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from core.data_version import changed

        from . import fact_table

        changed.connect(fact_table.on_data_changed, dispatch_uid="reports-fact-table")
        post_save.connect(
            fact_table.on_plan_period_saved,
            sender="assessments.PlanPeriod",
            dispatch_uid="reports-fact-table-periods",
        )
        # A row moved to another facility changes the facts of the one it leaves as well.
        for label in ("AnnualReport", "Assessment", "Participation", "Option"):
            pre_save.connect(
                fact_table.on_row_saving,
                sender=f"assessments.{label}",
                dispatch_uid=f"reports-fact-table-moved-{label}",
            )
