"""Paging of the list pages; templates/includes/pagination.html renders the links."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int, *, count: int | None = None) -> dict:
    """Context for a paged list: `page`, the one `?page=` asks for, and `query_string`, the
    request's other parameters (the filters), which the page links keep. `count`, when the
    caller knows how many rows `queryset` has, saves the COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the value given replaces the query
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "query_string": params.urlencode()}
