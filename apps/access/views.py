"""The auditor's search in the access log (read-only: there is no page that changes it)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .decorators import requires
from .forms import LogSearchForm
from .selectors import access_log_search

PAGE_SIZE = 100


@never_cache
@requires("access.search_log")
def log_search(request: HttpRequest) -> HttpResponse:
    """Entries newest first, a page at a time; the filters stay in the links to the next and previous page."""
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = LogSearchForm(params or None)
    entries = access_log_search(form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    context = {"form": form, "page": page, "entries": list(page.object_list), "query": params.urlencode()}
    return render(request, "access/log_search.html", context)
