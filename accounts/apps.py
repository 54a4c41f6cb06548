from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from . import two_factor  # noqa: F401  (connects its user_logged_in receiver)
        from .sessions import end_sessions_of_inactive_user

        post_save.connect(
            end_sessions_of_inactive_user,
            sender=self.get_model("User"),
            dispatch_uid="accounts.end_sessions_of_inactive_user",
        )
