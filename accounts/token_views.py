"""API tokens on the web: the owner creates (key shown once), lists and revokes theirs on
"Bảo mật tài khoản"; staff list and revoke any user's. The rules are in accounts/tokens.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import tokens
from .access import staff_required
from .forms import ApiTokenForm
from .models import ApiToken, User
from .two_factor_views import _verified_or_redirect

# The key of a token just created, shown by api_token_created once and then dropped.
NEW_TOKEN_SESSION_KEY = "api_token_new_key"


@never_cache
@login_required
def api_token_create(request):
    if (response := _verified_or_redirect(request)) is not None:
        return response
    form = ApiTokenForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        token, key = tokens.issue(request.user, form.cleaned_data["label"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"pk": token.pk, "key": key}
        return redirect("accounts:api_token_created")
    context = {"form": form, "api_token_days": settings.API_TOKEN_DAYS}
    return render(request, "accounts/api_token_form.html", context)


@never_cache
@login_required
def api_token_created(request):
    """The new key, shown this once: it is dropped from the session as the page is rendered."""
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if not new:
        return redirect("accounts:security")
    token = get_object_or_404(ApiToken, pk=new["pk"], user=request.user)
    return render(request, "accounts/api_token_created.html", {"token": token, "key": new["key"]})


@require_POST
@login_required
def api_token_revoke(request, pk):
    """The owner revokes their token, staff anyone's; another user's token is 404 to others."""
    if (response := _verified_or_redirect(request)) is not None:
        return response
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    own = token.user_id == request.user.pk
    managed = User.objects.managed_by(request.user).filter(pk=token.user_id)
    if not own and not (request.user.is_portal_staff and managed.exists()):
        raise Http404
    reason = tokens.Reason.OWNER if own else tokens.Reason.STAFF
    if tokens.revoke(token, reason):
        messages.success(
            request, _("Đã thu hồi mã truy cập %(prefix)s….") % {"prefix": token.prefix}
        )
    if own:
        return redirect("accounts:security")
    return redirect("accounts:user_tokens", pk=token.user_id)


@staff_required
def user_tokens(request, pk):
    """Staff: one user's API tokens, to revoke them."""
    target = get_object_or_404(User.objects.managed_by(request.user), pk=pk)
    context = {"target": target, "api_tokens": target.api_tokens.all()}
    return render(request, "accounts/user_tokens.html", context)
