"""The auditor's list of changes of home address and travel distance (``apps/people/places.py``).

The activity view (``access:activity``) counts them per account and day; this page shows them one by
one, with the coarse old and new values (district and postcode, km), for one account or for all.
Each visit is itself written to the access log, like the auditor's other pages.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from apps.access.decorators import requires
from apps.access.forms import ActivityForm
from apps.access.models import AccessLogEntry
from apps.access.services import log_request_access
from apps.core.inputs import as_number

from . import tables
from .models import PlaceChange

PAGE_SIZE = 100


@never_cache
@requires("access.view_activity")
def place_changes(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    account_text = params.get("account", "")
    account = as_number(account_text)
    form = ActivityForm(params or None)
    since, until = form.period(timezone.localdate())
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    changes = PlaceChange.objects.filter(at__gte=start, at__lt=end).order_by("-at", "-pk")
    if account is not None:
        changes = changes.filter(actor_user_id=account)
    log_request_access(
        request,
        subject_person_id=None,
        record_type="people.PlaceChange",
        record_id=f"{since.isoformat()}..{until.isoformat()}" + (f" account={account}" if account else ""),
        action=AccessLogEntry.Action.LIST,
        purpose="access.view_activity",
        allowed=True,
    )
    page = Paginator(changes, PAGE_SIZE).get_page(page_number)
    shown = list(page.object_list)
    context = {
        "form": form,
        "account": account,
        "since": since,
        "until": until,
        "page": page,
        "changes": shown,
        "changes_table": tables.place_changes(shown),
        "query": params.urlencode(),
    }
    return render(request, "people/place_changes.html", context)
