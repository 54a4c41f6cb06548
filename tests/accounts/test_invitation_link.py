"""The set-password invitation: its mail is written in the recipient's language, not in the
language of the staff member who sends it; and a link that no longer works tells a new account's
owner to ask the Department for another (the "Quên mật khẩu" page mails no account without a
password)."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User

CREATE_URL = reverse("accounts:user_create")
VI_SUBJECT = "Tài khoản mới trên Cổng thông tin Sản xuất sạch hơn: đặt mật khẩu"
EN_SUBJECT = "New account on the Cleaner Production Portal: set your password"


def _form(**changes):
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso.moi@example.vn",
        "phone": "0912 345 678",
        "role": Role.FACILITY,
    }
    data.update(changes)
    return data


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def test_an_english_staff_member_invites_in_vietnamese(client, staff, facility):
    _in_english(staff)
    client.force_login(staff)
    page = client.post(CREATE_URL, _form(facilities=[facility.pk]), follow=True)
    assert page.headers["Content-Language"] == "en"  # the staff member's own page

    [message] = mail.outbox
    assert message.to == ["coso.moi@example.vn"]
    assert message.subject == VI_SUBJECT
    assert "Xin chào" in message.body
    assert "Hello" not in message.body


def test_a_link_sent_again_follows_the_recipients_language(client, staff, facility):
    client.force_login(staff)
    client.post(CREATE_URL, _form(facilities=[facility.pk]))
    user = User.objects.get(username="coso_moi")
    _in_english(user)

    client.post(reverse("accounts:user_send_link", args=[user.pk]))  # staff: Vietnamese
    first, again = mail.outbox
    assert first.subject == VI_SUBJECT
    assert again.subject == EN_SUBJECT
    assert "Hello" in again.body and "Xin chào" not in again.body


def test_an_expired_invitation_says_to_ask_the_department(
    client, staff, facility, monkeypatch, reset_mail_sent_at_once
):
    client.force_login(staff)
    client.post(CREATE_URL, _form(facilities=[facility.pk]))
    client.logout()
    path = _link(mail.outbox[-1])
    later = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    page = client.get(path, follow=True)

    assert "new_password1" not in page.text
    assert "không hợp lệ, đã hết hạn hoặc đã được sử dụng" in page.text
    new_account = page.text.split('id="invalid-link-new-account"', 1)[1].split("</p>", 1)[0]
    assert "liên hệ cán bộ Sở Công Thương để được gửi lại liên kết" in new_account
    # The reset page is offered for accounts that have a password only: it mails no invitee.
    reset = page.text.split('id="invalid-link-reset"', 1)[1].split("</p>", 1)[0]
    assert "Tài khoản đã có mật khẩu" in reset
    assert reverse("accounts:password_reset") in reset
    mail.outbox.clear()
    client.post(reverse("accounts:password_reset"), {"email": "coso.moi@example.vn"})
    assert mail.outbox == []
