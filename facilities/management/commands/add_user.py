"""manage.py add_user USERNAME --role staff|facility|official|ministry [--province CODE]
[--facility TAX_CODE]… (DESIGN §5).

Creates or updates an account for provisioning scripts. The password comes from the environment
variable PORTAL_NEW_PASSWORD, never from the command line (it would show in `ps` and the shell
history); without it a new account gets no usable password (staff send a set-password link from
the *Tài khoản* page) and an existing one keeps its own. Everything is checked before anything is
written, and written in one transaction.

Re-running it with the account's current password keeps the stored hash: setting it again would
count as a password change and revoke the account's API tokens (accounts/tokens.py, which alone
decides that, on the user's save), so a daily provisioning script would kill its own tokens.
A different password is set, and revokes them.

`--province` (a 2025 province code) scopes a staff member or official in a national installation
(PORTAL_SCOPE=national), where they need one; elsewhere it is refused, not ignored. The `ministry`
role reads every province and edits nothing; it has no province (in a one-province installation
it reads that province, as an official does: DESIGN §5 lists it among the roles the command
provisions in any installation).
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import performed_by
from accounts.models import Role
from facilities.models import Facility
from facilities.provinces import UnknownProvince, province_2025

PASSWORD_VARIABLE = "PORTAL_NEW_PASSWORD"


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật tài khoản (mật khẩu lấy từ biến môi trường PORTAL_NEW_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values, help="vai trò")
        parser.add_argument(
            "--province", help="mã tỉnh/thành phố từ 1/7/2025 (chỉ cài đặt toàn quốc)"
        )
        parser.add_argument(
            "--facility",
            action="append",
            default=[],
            metavar="TAX_CODE",
            help="mã số thuế của cơ sở mà tài khoản đại diện (lặp lại cho nhiều cơ sở)",
        )
        parser.add_argument("--email", default=None, help="địa chỉ e-mail")
        parser.add_argument("--full-name", default=None, help="họ và tên")

    def handle(self, *args, username, role, province, facility, email, full_name, **options):
        province = self._province(role, province)
        facilities = self._facilities(role, facility)
        User = get_user_model()
        user = User._default_manager.filter(username__iexact=username).first()
        created = user is None
        if created:
            user = User(username=username)
        user.role = role
        user.province = province
        if email is not None:
            user.email = email
        if full_name is not None:
            user.full_name = full_name
        password = os.environ.get(PASSWORD_VARIABLE, "")
        unchanged = False
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(f"{PASSWORD_VARIABLE}: " + " ".join(error.messages)) from None
            # The hash alone, without check_password's rehash-and-save: nothing is written
            # before everything is checked.
            unchanged = not created and check_password(password, user.password)
            if not unchanged:
                user.set_password(password)
        elif created:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password", "facilities"], validate_unique=True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # Audit log (accounts/audit.py): the account's creation, role, e-mail and facility
        # links added or removed, with no actor (the system) and via "manage.py add_user".
        with transaction.atomic(), performed_by("manage.py add_user"):
            user.save()
            if role == Role.FACILITY:
                user.facilities.set(facilities)
            else:
                user.facilities.clear()
        action = "Đã tạo" if created else "Đã cập nhật"
        note = "" if password or not created else " (chưa có mật khẩu: gửi liên kết đặt mật khẩu)"
        if unchanged:
            note = " " + _("(mật khẩu không đổi)")
        self.stdout.write(f"{action} tài khoản {user.username} ({user.get_role_display()}){note}.")

    def _province(self, role, code) -> str:
        """The account's province: required for staff and officials of a national
        installation, refused elsewhere."""
        national = settings.PORTAL_SCOPE == "national"
        if code is None:
            if national and role in (Role.STAFF, Role.OFFICIAL):
                raise CommandError(
                    "Cài đặt toàn quốc: tài khoản cán bộ và lãnh đạo cần --province "
                    "MÃ_TỈNH (mã tỉnh/thành phố từ 1/7/2025)."
                )
            return ""
        if not national:
            raise CommandError(
                "--province chỉ dùng trong cài đặt toàn quốc (PORTAL_SCOPE=national)."
            )
        if role not in (Role.STAFF, Role.OFFICIAL):
            raise CommandError("--province chỉ dùng cho tài khoản cán bộ Sở và lãnh đạo.")
        try:
            return f"{province_2025(code).code.value:02d}"
        except UnknownProvince as error:
            raise CommandError(str(error)) from None

    def _facilities(self, role, tax_codes):
        if role != Role.FACILITY:
            if tax_codes:
                raise CommandError("--facility chỉ dùng cho tài khoản cơ sở (--role facility).")
            return []
        if not tax_codes:
            raise CommandError("Tài khoản cơ sở cần ít nhất một --facility MÃ_SỐ_THUẾ.")
        found = {f.tax_code: f for f in Facility.objects.filter(tax_code__in=tax_codes)}
        missing = [code for code in tax_codes if code not in found]
        if missing:
            raise CommandError("Không có cơ sở với mã số thuế: " + ", ".join(missing) + ".")
        return list(found.values())
