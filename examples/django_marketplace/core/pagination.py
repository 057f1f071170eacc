"""Pagination classes and helpers shared by the API and server-rendered views."""
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from rest_framework.pagination import PageNumberPagination


class StandardResultsSetPagination(PageNumberPagination):
    """Default page size for list endpoints."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class LargeResultsSetPagination(StandardResultsSetPagination):
    """Used by back-office endpoints that export larger lists."""

    page_size = 100
    max_page_size = 500


def paginate_queryset(queryset, page, per_page=25):
    """Return a Django ``Page`` and never raise for bad page numbers."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def page_metadata(page_obj) -> dict:
    """Describe a ``Page`` in a JSON friendly way."""
    return {
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "count": page_obj.paginator.count,
        "has_next": page_obj.has_next(),
        "has_previous": page_obj.has_previous(),
    }
