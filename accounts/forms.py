from datetime import date, datetime, time, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, UsernameField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import vietnamese
from core.forms import PlainTextMixin
from core.models import AuditEvent
from core.widgets import DayFirstDateInput

from .models import PROVINCE_ROLES, Role, User, province_required


class UserSearchForm(forms.Form):
    """The account list's search box; a value it refuses (a NUL byte) is not searched for."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=254)

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class AuditFilterForm(forms.Form):
    """The audit log page's filters (accounts:audit_log); dates are local days, both included."""

    action = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        choices=[("", _("Tất cả")), *AuditEvent.Action.choices],
    )
    account = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150)
    since = forms.DateField(label=_("Từ ngày"), required=False, widget=DayFirstDateInput())
    until = forms.DateField(label=_("Đến ngày"), required=False, widget=DayFirstDateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = "select" if isinstance(field.widget, forms.Select) else "control"
            field.widget.attrs["class"] = f"form-{kind} form-{kind}-sm"

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("“Đến ngày” không được trước “Từ ngày”."))
        return data

    def filter(self, events):
        """`events` narrowed to what the (bound) form asks for; unfiltered when it is invalid."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["account"]:
            # The username kept on the entry: an account deleted since is still found.
            events = events.filter(actor_username__icontains=data["account"])
        if data["since"]:
            events = events.filter(at__gte=_local_midnight(data["since"]))
        if data["until"] and data["until"] < date.max:  # 31/12/9999 has no next day
            events = events.filter(at__lt=_local_midnight(data["until"] + timedelta(days=1)))
        return events


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


PROVINCE_NEEDED = _("Tài khoản cán bộ Sở và lãnh đạo phải thuộc một tỉnh/thành phố.")


def loaded_provinces() -> list[tuple[str, str]]:
    """(code, name) of the loaded 2025 provinces (every one in a national installation), by code
    as elsewhere (territory.provinces_2025).
    The units are read through the relations (User.facilities, Facility.ward): `facilities` sits
    above `accounts` (DESIGN §1 layers)."""
    facility = User._meta.get_field("facilities").related_model
    unit = facility._meta.get_field("ward").related_model
    provinces = unit.objects.filter(scheme=unit.Scheme.V2025, level=unit.Level.PROVINCE)
    return list(provinces.order_by("code").values_list("code", "name"))


def province_field(*, help_text) -> forms.ChoiceField:
    """An account's province: one of the loaded 2025 provinces, or none. Whether one is needed
    depends on the role the same form sets, so `clean_province_of` checks it."""
    choices = [(code, f"{name} ({code})") for code, name in loaded_provinces()]
    return forms.ChoiceField(
        label=_("Tỉnh/thành phố"),
        required=False,
        choices=[("", "---------"), *choices],
        help_text=help_text,
    )


def clean_province_of(form, cleaned: dict, *, superuser: bool = False) -> None:
    """The `province` of a form that also sets the role: required for a staff member or official
    of a national installation (province_required), dropped for the other roles (User.clean)."""
    role = cleaned.get("role")
    if role is None or "province" in form.errors:  # no role, or an unknown province
        return
    if role not in PROVINCE_ROLES:
        cleaned["province"] = ""
    elif province_required(role, superuser=superuser) and not cleaned.get("province"):
        form.add_error("province", PROVINCE_NEEDED)


class PortalUserCreationForm(PlainTextMixin, forms.ModelForm):
    """Staff create facility and official accounts; a superuser may also create staff accounts.

    No password is chosen here: the account gets an unusable one and its owner sets it through a
    one-time link sent to the (required) e-mail address (accounts/onboarding.py).

    In a national installation a staff member's or official's account is of the creator's
    province; a creator of no province (a superuser) chooses it (`province`, shown to them only).
    A facility account's province is its facilities'.
    """

    role = forms.ChoiceField(label=_("Vai trò"))

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone", "role", "facilities")
        field_classes = {"username": UsernameField}
        # The facilities field comes from the User.facilities many-to-many (its queryset is every
        # facility), so accounts needs nothing from the facilities app (DESIGN §1 layers).
        labels = {"facilities": _("Cơ sở đại diện")}
        help_texts = {"facilities": _("Bắt buộc với tài khoản cơ sở.")}

    def __init__(self, *args, creator=None, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(Role.FACILITY, Role.FACILITY.label), (Role.OFFICIAL, Role.OFFICIAL.label)]
        if creator is not None and creator.is_superuser:
            roles.append((Role.STAFF, Role.STAFF.label))
        self.fields["role"].choices = roles
        facilities = self.fields["facilities"]
        # The facilities the creator sees (a national installation: their province's); the
        # queryset's own scoping rule, so accounts imports nothing from facilities.
        choices = facilities.queryset
        if creator is not None:
            choices = choices.visible_to(creator)
        facilities.queryset = choices.order_by(vietnamese("name"), "pk")
        self.creator = creator
        email = self.fields["email"]
        email.required = True
        email.help_text = _("Liên kết đặt mật khẩu (dùng một lần) được gửi tới địa chỉ này.")
        if self._chooses_province:
            self.fields["province"] = province_field(
                help_text=_(
                    "Bắt buộc với tài khoản cán bộ Sở và lãnh đạo. Tài khoản cơ sở thuộc tỉnh "
                    "của cơ sở mà nó đại diện."
                )
            )
            self.order_fields(["username", "full_name", "email", "phone", "role", "province"])

    @property
    def _chooses_province(self) -> bool:
        """A national installation's creator of no province of their own (a superuser)."""
        return (
            province_required(Role.STAFF)  # a national installation
            and self.creator is not None
            and self.creator.scoped_province is None
        )

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _(
                    "Tên đăng nhập “%(username)s” đã được dùng (không phân biệt chữ hoa, chữ "
                    "thường). Vui lòng chọn tên khác."
                ),
                code="unique",
                params={"username": username},
            )
        return username

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        chosen = cleaned.get("facilities")
        if role == Role.FACILITY and not chosen:
            self.add_error("facilities", _("Tài khoản cơ sở phải gắn với ít nhất một cơ sở."))
        if role == Role.OFFICIAL and chosen:
            self.add_error("facilities", _("Tài khoản lãnh đạo không gắn với cơ sở."))
        if role == Role.STAFF and chosen:
            self.add_error("facilities", _("Tài khoản cán bộ Sở không gắn với cơ sở."))
        if "province" in self.fields:
            clean_province_of(self, cleaned)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if self.creator is not None and user.role in PROVINCE_ROLES:
            # A national installation: staff create accounts of their own province (whatever is
            # posted); a superuser those of the province chosen.
            scoped = self.creator.scoped_province
            user.province = self.cleaned_data.get("province", "") if scoped is None else scoped
        if commit:
            user.save()
            self.save_m2m()
        return user


class OneTimeCodeForm(forms.Form):
    """A 6-digit code from the authenticator app or an 8-character backup code."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng (8 ký tự)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, allow_backup=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_backup:
            self.fields["code"].help_text = _("6 chữ số đang hiển thị trong ứng dụng xác thực.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        # Spaces and dashes as people copy them; backup codes are lower case.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class PasswordConfirmForm(forms.Form):
    """The signed-in user's password again before a sensitive change. It is checked as a login
    is, through authenticate() with the request: a wrong password counts toward the same
    lockout (django-axes, accounts/lockout.py) and a locked-out user is refused even the right
    one; AxesMiddleware then answers with the login's lockout page."""

    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, user, *args, request, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_confirmed(self.request, self.user, password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password


def password_confirmed(request, user, password: str) -> bool:
    """Whether `password` is the signed-in `user`'s, checked as a login is (authenticate() with
    the request): a wrong one counts toward the lockout, a locked-out user is refused."""
    confirmed = authenticate(request, username=user.get_username(), password=password)
    if confirmed is None or confirmed.pk != user.pk:
        return False
    # As a successful login does (AXES_RESET_ON_SUCCESS): the pair's failures are forgotten, so
    # an earlier typo does not bring the next one closer to a lockout.
    credentials = get_credentials(user.get_username())
    AxesProxyHandler.get_implementation().reset_user_attempts(request, credentials)
    return True


class LockoutPasswordChangeForm(PasswordChangeForm):
    """Django's password change, its old password checked as PasswordConfirmForm checks one."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_confirmed(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ApiTokenForm(PasswordConfirmForm):
    """A new API token: a label to recognise it by, and the password again (a token outlives the
    session, so a borrowed session must not be able to mint one)."""

    label = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: tên chương trình hoặc máy sẽ dùng mã này."),
    )
    field_order = ["label", "password"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["password"].widget.attrs.pop("autofocus", None)
        self.fields["label"].widget.attrs["autofocus"] = True
