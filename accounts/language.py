"""Vietnamese first (issue 16): every user of the portal is Vietnamese, so the browser's
Accept-Language is not asked. English only when the user picked it: the language cookie set by
the switcher, else the choice saved on the account (so it follows the user to another browser)."""

from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language as django_set_language

from .models import User


def _supported(code) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def language_of(user) -> str:
    """The language `user` picked (kept on the account), else the portal's (also for no user):
    what is written to them outside a request (e-mails, background jobs)."""
    return (user is not None and _supported(user.language)) or settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    """Write in the language of `user` (`language_of`; None: the portal's) for the duration:
    what a background job stores for the user who started it to read (its errors, its rows'
    problems), whatever language the worker runs in."""
    with translation.override(language_of(user)):
        yield


def addresses_by_language(users) -> list[tuple[str, list[str]]]:
    """(language, addresses) of `users` with an e-mail address, grouped by `language_of`, the
    portal's language first: one mail per language."""
    groups = defaultdict(set)
    for user in users:
        if user.email:
            groups[language_of(user)].add(user.email)
    order = sorted(groups, key=lambda code: (code != settings.LANGUAGE_CODE, code))
    return [(code, sorted(groups[code])) for code in order]


def chosen_language(request, user=None) -> str:
    """The cookie's language, else the one saved on `user` (default: the request's user)."""
    cookie = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return language_of(user)
    return settings.LANGUAGE_CODE


def activate_language(request, user) -> None:
    """Activate the language of `user`, signed in by other means than the session (an API
    token), for the rest of the request."""
    translation.activate(chosen_language(request, user))
    # A REST framework request wraps Django's: the attribute belongs on the one underneath.
    getattr(request, "_request", request).LANGUAGE_CODE = translation.get_language()


class VietnameseFirstLocaleMiddleware:
    """In place of Django's LocaleMiddleware, after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        # The language the answer was written in (an API token may have changed it).
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        return response


def set_language(request):
    """Django's switcher, and the choice saved on the signed-in account."""
    response = django_set_language(request)
    language = _supported(request.POST.get("language"))
    if language and request.user.is_authenticated and request.user.language != language:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
