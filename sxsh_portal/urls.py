from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from accounts import language
from ops import health
from ops import views as ops_views
from reports.api import views as api_views

urlpatterns = [
    path("", ops_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says.
    path(
        "favicon.ico",
        ops_views.favicon,
        name="favicon",
    ),
    path("accounts/", include("accounts.urls")),
    path("facilities/", include("facilities.urls")),
    path("assessments/", include("assessments.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("reports.api.routes")),
    # Any other address under /api/ is a problem-details 404, with DEBUG on too.
    path("api/", api_views.unknown_address),
    path("api/<path:rest>", api_views.unknown_address),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", health.healthz, name="healthz"),
    # The admin's password change is the portal's, whose old password counts toward the login
    # lockout (accounts.views.PasswordChangeView): the admin's own would let it be guessed.
    path(
        "admin/password_change/",
        login_required(RedirectView.as_view(url=reverse_lazy("accounts:password_change"))),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
]

# The 500 page shows a reference id that is logged with the traceback; under /api/ both error
# pages are problem details (core/views.py).
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
