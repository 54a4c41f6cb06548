"""manage.py issue_token USERNAME [--days N] [--label TEXT]: a new API token (accounts/tokens.py).

The key is printed alone on one line of standard output, the only time it is shown; the expiry
goes to standard error, so `KEY=$(python manage.py issue_token api_client)` works."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import tokens
from accounts.audit import performed_by


class Command(BaseCommand):
    help = "Cấp một mã truy cập API mới cho người dùng; mã chỉ được in ra một lần."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=(
                f"số ngày hiệu lực, 1–{tokens.MAX_DAYS} "
                f"(mặc định API_TOKEN_DAYS = {settings.API_TOKEN_DAYS})"
            ),
        )
        parser.add_argument("--label", default="issue_token", help="tên gợi nhớ của mã")

    def handle(self, *args, username, days, label, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(
                _("Không có người dùng “%(username)s”.") % {"username": username}
            ) from None
        if not user.is_active:
            raise CommandError(
                _("Tài khoản “%(username)s” đã bị khóa: không cấp mã truy cập API.")
                % {"username": user.get_username()}
            )
        try:
            # The audit entry (accounts/tokens.py) names this command as `via`, no actor.
            with performed_by("manage.py issue_token"):
                token, key = tokens.issue(user, label, days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
        expires = timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M")
        self.stderr.write(
            _("Mã %(prefix)s… cho %(username)s, hết hạn lúc %(expires)s. Mã không hiển thị lại.")
            % {"prefix": token.prefix, "username": user.get_username(), "expires": expires}
        )
