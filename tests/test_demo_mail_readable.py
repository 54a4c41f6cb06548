"""The demo (DEBUG, no mail server configured) prints every e-mail in the terminal as readable
text: a Vietnamese body with a set-password link is not base64 there."""

import io

from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from core.mail import ReadableConsoleBackend
from sxsh_portal import settings as portal_settings


def test_the_console_backend_writes_the_vietnamese_text_and_the_link():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Tài khoản mới trên Cổng SXSH",
        body="Xin chào Nguyễn Văn Cơ Sở,\nĐặt mật khẩu tại: http://127.0.0.1:8000/accounts/x/",
        from_email="sxsh@example.vn",
        to=["coso@example.vn"],
    )
    backend = ReadableConsoleBackend(stream=stream)
    assert backend.send_messages([message]) == 1
    written = stream.getvalue()
    assert "Subject: Tài khoản mới trên Cổng SXSH" in written
    assert "To: coso@example.vn" in written
    assert "Xin chào Nguyễn Văn Cơ Sở," in written
    assert "http://127.0.0.1:8000/accounts/x/" in written
    assert "base64" not in written


def test_debug_without_a_mail_server_uses_it(monkeypatch):
    for name in ("EMAIL_URL", "EMAIL_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(portal_settings, "DEBUG", True)
    backend = portal_settings._mailer_from_env()["BACKEND"]
    assert import_string(backend) is ReadableConsoleBackend
