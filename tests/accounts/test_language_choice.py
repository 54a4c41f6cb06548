"""Vietnamese first whatever the browser asks; English when the user picks it, remembered on
the account (issue 16)."""

from django.test import Client
from django.urls import reverse

from accounts.models import User

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_vietnamese(client, db):
    response = client.get(reverse("accounts:login"), **ENGLISH_BROWSER)
    assert lang(response) == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_the_users_choice_is_kept_on_the_account(client, official):
    client.force_login(official)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=official.pk).language == "en"

    elsewhere = Client()  # another browser: no language cookie
    elsewhere.force_login(official)
    assert lang(elsewhere.get(reverse("reports:dashboard"), **ENGLISH_BROWSER)) == "en"

    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert User.objects.get(pk=official.pk).language == "vi"
    assert lang(elsewhere.get(reverse("reports:dashboard"))) == "vi"


def test_an_unknown_language_changes_nothing(client, official):
    client.force_login(official)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert User.objects.get(pk=official.pk).language == ""
    assert lang(client.get(reverse("reports:dashboard"))) == "vi"
