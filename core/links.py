"""Absolute links for what the portal sends out of a request (e-mails from Celery workers):
PORTAL_URL (settings, .env) and the path of a named URL. Within a request, use
`request.build_absolute_uri` instead."""

from django.conf import settings
from django.urls import reverse


def portal_link(viewname: str, *args) -> str:
    """The absolute address of the view `viewname` with `args`, e.g.
    portal_link("assessments:report_detail", 7) -> "https://sxsh.example.gov.vn/…/7/"."""
    return settings.PORTAL_URL + reverse(viewname, args=args)
