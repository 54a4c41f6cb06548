"""Paging of the list pages; templates/includes/pagination.html renders the links."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int) -> dict:
    """Context for a paged list: `page`, the one `?page=` asks for, and `query_string`, the
    request's other parameters (the filters), which the page links keep."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "query_string": params.urlencode()}
