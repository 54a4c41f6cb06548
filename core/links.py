"""Absolute links for what the portal sends out (e-mails, from a worker or from a request):
PORTAL_URL (settings, .env) and the path of a named URL, never the Host a request came with
(staff on an internal address would send links to it)."""

from django.conf import settings
from django.urls import reverse


def portal_link(viewname: str, *args) -> str:
    """The absolute address of the view `viewname` with `args`, e.g.
    portal_link("assessments:report_detail", 7) -> "https://sxsh.example.gov.vn/…/7/"."""
    return settings.PORTAL_URL + reverse(viewname, args=args)
