"""Every URL pattern of the project, from the resolver, with a concrete path for each."""

import re
from dataclasses import dataclass, field

from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter

# A path parameter of a route (`<int:pk>`) and a named or plain group of a regular expression.
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")
PLAIN_GROUP = re.compile(r"\((?!\?)[^()]*\)")
SAMPLES = {"uidb64": "MQ", "token": "set-password", "part": "numerator", "code": "SAVING_PCT"}


@dataclass(frozen=True)
class Route:
    name: str | None  # "facilities:detail"; None for the admin's unnamed patterns
    pattern: str  # every level's pattern joined, as ResolverMatch.route has it
    int_kwargs: tuple[str, ...] = field(default=())  # parameters with the int converter

    @property
    def label(self) -> str:
        return self.name or self.pattern

    def path(self, **ints) -> str:
        """A concrete path for this pattern: `ints` for the int parameters (default 1), a
        plausible value for the others."""

        def parameter(match):
            name = match["name"]
            if match["converter"] == "int" or name in self.int_kwargs:
                return str(ints.get(name, 1))
            return SAMPLES.get(name, "1")

        path = NAMED_GROUP.sub(lambda m: _regex_sample(m["name"], m["body"]), self.pattern)
        path = PLAIN_GROUP.sub("1", path)
        path = PARAMETER.sub(parameter, path)
        return "/" + path.replace("^", "").replace("$", "")


def _regex_sample(name: str, body: str) -> str:
    if name == "url":  # the admin's catch-all
        return "no-such-page/"
    return body.split("|")[0] if "|" in body else "1"


def all_routes() -> list[Route]:
    routes = list(_walk(get_resolver(), "", "", ()))
    for route in routes:  # the sample path really reaches that pattern
        assert resolve(route.path()).route == route.pattern, route
    return routes


def _walk(resolver, prefix, namespace, int_kwargs):
    for entry in resolver.url_patterns:
        pattern = _join(prefix, str(entry.pattern))
        ints = int_kwargs + tuple(
            name
            for name, converter in getattr(entry.pattern, "converters", {}).items()
            if isinstance(converter, IntConverter)
        )
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, pattern, inner, ints)
        else:
            yield Route(f"{namespace}{entry.name}" if entry.name else None, pattern, ints)


def _join(prefix: str, pattern: str) -> str:
    # As django.urls.resolvers._join_route: an inner regex loses its leading ^.
    return prefix + (pattern.removeprefix("^") if prefix else pattern)
