"""The "Quên mật khẩu" page gives no hint whether an address has an account, not even by its
response time: the mail is written in the request but sent by a task on the `mail` queue
(accounts.tasks.send_password_reset_mail), queued on commit. The rate limits still stop it."""

import logging
import re
from unittest import mock

import pytest
from django.urls import reverse

from accounts import tasks
from accounts.models import User
from sxsh_portal.celery import app as celery_app

RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")
PORTAL = "https://sxsh.example.gov.vn"
NEW_PASSWORD = "Mat-khau-moi-2026-xyz"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def queued():
    """What the page hands to Celery (no worker runs here): the task's keyword arguments."""
    with mock.patch.object(tasks.send_password_reset_mail, "apply_async") as apply_async:
        yield apply_async


def _ask(client, captured, email, **extra):
    with captured(execute=True):
        response = client.post(RESET, {"email": email}, **extra)
    assert (response.status_code, response.url) == (302, RESET_DONE)
    return response


def _run(queued) -> None:
    """What the worker of the `mail` queue does with each queued mail."""
    for call in queued.call_args_list:
        tasks.send_password_reset_mail(**call.kwargs["kwargs"])


def _link_path(body: str) -> str:
    match = re.search(re.escape(PORTAL) + r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_the_mail_is_queued_not_sent_in_the_request_and_its_link_works(
    client, facility_user, queued, mailoutbox, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks, facility_user.email.upper())
    # Nothing went to the mail server while the page answered: the mail waits in the queue.
    assert mailoutbox == []
    [call] = queued.call_args_list
    mail = call.kwargs["kwargs"]
    assert mail["to"] == facility_user.email
    assert mail["subject"] == "Đặt lại mật khẩu Cổng thông tin SXSH"
    # Celery's logs and monitoring do not show the mail (its link is the token).
    shown = call.kwargs["argsrepr"] + call.kwargs["kwargsrepr"]
    assert _link_path(mail["body"]) not in shown
    assert facility_user.email not in shown

    _run(queued)
    [message] = mailoutbox
    assert message.to == [facility_user.email]
    assert message.subject == "Đặt lại mật khẩu Cổng thông tin SXSH"
    assert facility_user.username in message.body
    page = client.get(_link_path(message.body), follow=True)
    assert "new_password1" in page.text
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.url == reverse("accounts:password_reset_complete")
    assert User.objects.get(pk=facility_user.pk).check_password(NEW_PASSWORD)


def test_the_mail_is_written_in_the_language_of_the_page(
    client, facility_user, queued, mailoutbox, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    _ask(client, django_capture_on_commit_callbacks, facility_user.email)
    _run(queued)
    [message] = mailoutbox
    assert message.subject == "Password reset for the CP Portal"


def test_an_unknown_address_queues_nothing_and_gets_the_same_answer(
    client, facility_user, queued, mailoutbox, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks, "khong-co@example.vn")
    assert queued.call_count == 0
    assert mailoutbox == []


def test_over_the_limit_nothing_is_queued(
    client, facility_user, queued, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_MAX_PER_EMAIL = 2
    for _ in range(4):
        _ask(client, django_capture_on_commit_callbacks, facility_user.email)
    assert queued.call_count == 2
    assert mailoutbox == []


def test_the_task_goes_to_the_mail_queue():
    celery_app.loader.import_default_modules()
    route = celery_app.amqp.router.route({}, "accounts.tasks.send_password_reset_mail")
    assert route["queue"].name == "mail"


def test_a_broker_that_refuses_the_mail_does_not_change_the_answer(
    client, facility_user, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    refused = mock.patch.object(
        tasks.send_password_reset_mail, "apply_async", side_effect=ConnectionError("down")
    )
    with refused, caplog.at_level(logging.ERROR, logger="accounts.password_reset"):
        _ask(client, django_capture_on_commit_callbacks, facility_user.email)
    assert mailoutbox == []
    [record] = [r for r in caplog.records if r.name == "accounts.password_reset"]
    assert "could not be queued" in record.getMessage()
    assert facility_user.email not in record.getMessage()


def test_the_task_logs_neither_the_link_nor_the_address(
    client, facility_user, queued, caplog, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks, facility_user.email)
    mail = queued.call_args.kwargs["kwargs"]
    token_path = _link_path(mail["body"])
    failing = mock.patch(
        "accounts.tasks.EmailMultiAlternatives.send",
        side_effect=OSError(f"refused {token_path} {facility_user.email}"),
    )
    with failing, caplog.at_level(logging.DEBUG):
        assert tasks.send_password_reset_mail(**mail) == 0
    logged = caplog.text
    assert "could not be sent" in logged
    assert token_path not in logged
    assert facility_user.email not in logged
