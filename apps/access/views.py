"""The auditor's search in the access log (read-only: there is no page that changes it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .decorators import requires
from .forms import LogSearchForm
from .selectors import access_log_search


@never_cache
@requires("access.search_log")
def log_search(request: HttpRequest) -> HttpResponse:
    form = LogSearchForm(request.GET or None)
    entries = access_log_search(form.cleaned_data)[:500] if form.is_valid() else access_log_search({})[:100]
    return render(request, "access/log_search.html", {"form": form, "entries": list(entries)})
