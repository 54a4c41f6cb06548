from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from . import two_factor  # noqa: F401  (connects its user_logged_in receiver)
        from .audit import record_account_change, remember_role
        from .sessions import end_sessions_of_inactive_user

        post_save.connect(
            end_sessions_of_inactive_user,
            sender=self.get_model("User"),
            dispatch_uid="accounts.end_sessions_of_inactive_user",
        )
        # Audit log: account creation and role changes (accounts/audit.py).
        pre_save.connect(
            remember_role, sender=self.get_model("User"), dispatch_uid="accounts.remember_role"
        )
        post_save.connect(
            record_account_change,
            sender=self.get_model("User"),
            dispatch_uid="accounts.record_account_change",
        )
        # API tokens are revoked when the password changes or the account is deactivated.
        from .tokens import remember_credential_change, revoke_after_credential_change

        pre_save.connect(
            remember_credential_change,
            sender=self.get_model("User"),
            dispatch_uid="accounts.tokens.remember_credential_change",
        )
        post_save.connect(
            revoke_after_credential_change,
            sender=self.get_model("User"),
            dispatch_uid="accounts.tokens.revoke_after_credential_change",
        )
