"""The auditor's pages: the search in the access log and the unusual activity per account and day.

Both only read (there is no page that changes the log), and each visit is itself written to the log.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import tables
from .activity import Report, Row, reasons_in_words
from .decorators import requires
from .forms import ActivityForm, LogSearchForm
from .labels import role_label
from .selectors import activity_logged, log_search_logged

PAGE_SIZE = 100


@never_cache
@requires("access.search_log")
def log_search(request: HttpRequest) -> HttpResponse:
    """Entries newest first, a page at a time; the filters stay in the links to the next and previous page."""
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = LogSearchForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = log_search_logged(request, filters)
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    entries_shown = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "entries": entries_shown,
        "entries_table": tables.log_entries(entries_shown),
        "query": params.urlencode(),
    }
    return render(request, "access/log_search.html", context)


ACTIVITY_PAGE_SIZE = 100


def activity_rows(report: Report, rows: list[Row]) -> list[dict[str, Any]]:
    """What the page shows of each row: the counts, what stands out and why, in words."""
    shown = []
    for row in rows:
        cells = [
            {"kind": source.kind, "label": source.label, "count": cell.count, "unusual": cell.unusual}
            for source, cell in zip(report.kinds, row.cells, strict=True)
        ]
        shown.append(
            {
                "day": row.day,
                "user_id": row.user_id,
                "network": row.network,
                "role": role_label(row.role),
                "cells": cells,
                "unusual": row.unusual,
                "reasons": reasons_in_words(report, row),
            }
        )
    return shown


@never_cache
@requires("access.view_activity")
def activity(request: HttpRequest) -> HttpResponse:
    """Per account and day, how often it read, took, called off, failed to sign in and was refused; what
    stands out first.  Each row links to the access log of that account on that day."""
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = ActivityForm(params or None)
    since, until = form.period(timezone.localdate())
    report = activity_logged(request, since=since, until=until)
    unusual_only = form.is_bound and form.is_valid() and form.cleaned_data.get("unusual_only")
    page = Paginator(report.unusual_rows if unusual_only else report.rows, ACTIVITY_PAGE_SIZE).get_page(page_number)
    rows = activity_rows(report, list(page.object_list))
    context = {
        "form": form,
        "report": report,
        "rules": report.rules,
        "unusual_count": len(report.unusual_rows),
        "page": page,
        "rows": rows,
        "activity_table": tables.activity(report, rows),
        "query": params.urlencode(),
        "limits": [(source, report.rules.threshold(source.kind)) for source in report.kinds],
        "half": {source.kind: report.rules.floor(source.kind) for source in report.kinds},
    }
    return render(request, "access/activity.html", context)
