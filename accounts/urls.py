from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import audit_views, onboarding, password_reset, token_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", two_factor_views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        password_reset.RateLimitedPasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        onboarding.SetPasswordView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/set-password-link/", views.user_send_link, name="user_send_link"),
    # The audit log, read only (accounts/audit_views.py).
    path("audit/", audit_views.audit_log, name="audit_log"),
    # Two-factor authentication (accounts/two_factor.py).
    path("two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path(
        "two-factor/backup-codes/",
        two_factor_views.backup_codes,
        name="two_factor_backup_codes",
    ),
    path(
        "two-factor/backup-codes/download/",
        two_factor_views.backup_codes_download,
        name="two_factor_backup_codes_download",
    ),
    path("two-factor/remove/", two_factor_views.remove, name="two_factor_remove"),
    path("security/", two_factor_views.security, name="security"),
    path(
        "users/<int:pk>/two-factor/reset/",
        two_factor_views.user_reset,
        name="user_two_factor_reset",
    ),
    # API tokens (accounts/tokens.py).
    path("security/api-tokens/new/", token_views.api_token_create, name="api_token_create"),
    path("security/api-tokens/created/", token_views.api_token_created, name="api_token_created"),
    path(
        "security/api-tokens/<int:pk>/revoke/",
        token_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("users/<int:pk>/api-tokens/", token_views.user_tokens, name="user_tokens"),
]
