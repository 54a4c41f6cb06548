"""What the Content-Security-Policy would block in a page: inline scripts and styles without the
response's nonce, on* event handler attributes, style attributes and javascript: URLs."""

import re
from html.parser import HTMLParser

# Data blocks (json_script): the browser does not run them, so CSP does not apply.
DATA_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
NONCE = re.compile(r"'nonce-([^']+)'")


def policy_nonce(response) -> str | None:
    match = NONCE.search(response.get("Content-Security-Policy", ""))
    return match[1] if match else None


class CspAudit(HTMLParser):
    def __init__(self, nonce):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: event handler attribute")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>: javascript: URL")
        if "style" in attributes:
            self.problems.append(f"<{tag} style={attributes['style']!r}>: style attribute")
        runs_inline = tag == "script" and "src" not in attributes
        if runs_inline and attributes.get("type", "").lower() in DATA_TYPES:
            runs_inline = False
        if (runs_inline or tag == "style") and (
            not self.nonce or attributes.get("nonce") != self.nonce
        ):
            self.problems.append(f"<{tag}>: inline without the response's nonce")


def csp_problems(response) -> list[str]:
    audit = CspAudit(policy_nonce(response))
    audit.feed(response.content.decode())
    audit.close()
    return audit.problems
