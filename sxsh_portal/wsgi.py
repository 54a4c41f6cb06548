import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sxsh_portal.settings")
application = get_wsgi_application()

# A web process (gunicorn worker, runserver) keeps its /healthz result fresh from the start, so
# that its first probe is not answered "starting" (ops/health.py).
from ops import health  # noqa: E402  (needs the apps loaded above)

health.start()
