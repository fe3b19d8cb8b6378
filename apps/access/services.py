"""Writing the access log and purging it by retention: the only code that touches the table."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .actors import Actor, actor_for
from .models import AccessLogEntry, SecurityEvent


def via_of(request: HttpRequest | None) -> str:
    """The page or endpoint, as its URL name when known (never the query string: it may hold data)."""
    if request is None:
        return "internal"
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match is not None and match.view_name else request.path
    return f"{request.method} {name}"[:200]


def access_log_write(
    *,
    actor: Actor,
    subject_person_id: int | None,
    record_type: str,
    record_id: object,
    action: str,
    purpose: str,
    allowed: bool,
    via: str,
) -> AccessLogEntry | None:
    """One entry per access to special-category data by someone other than the person themselves."""
    if allowed and actor.person_id is not None and actor.person_id == subject_person_id:
        return None
    entry = _entry(actor, subject_person_id, record_type, record_id, action=action, purpose=purpose, via=via)
    if not allowed:
        entry.outcome = AccessLogEntry.Outcome.DENIED
    entry.save(force_insert=True)
    return entry


def _entry(
    actor: Actor,
    subject_person_id: int | None,
    record_type: str,
    record_id: object,
    *,
    action: str,
    purpose: str,
    via: str,
) -> AccessLogEntry:
    """An unsaved, allowed entry: who, in which role, whose record, what and why, where; never the data itself."""
    return AccessLogEntry(
        actor_user_id=actor.user_id,
        actor_person_id=actor.person_id,
        actor_role=actor.main_role(),
        subject_person_id=subject_person_id,
        record_type=record_type,
        record_id=str(record_id),
        action=action,
        purpose=purpose,
        outcome=AccessLogEntry.Outcome.ALLOWED,
        via=via,
    )


def log_request_access(
    request: HttpRequest,
    *,
    subject_person_id: int | None,
    record_type: str,
    record_id: object,
    action: str,
    purpose: str,
    allowed: bool,
) -> None:
    access_log_write(
        actor=actor_for(request),
        subject_person_id=subject_person_id,
        record_type=record_type,
        record_id=record_id,
        action=action,
        purpose=purpose,
        allowed=allowed,
        via=via_of(request),
    )


def log_request_list(
    request: HttpRequest, *, records: list[tuple[int | None, str, object]], action: str, purpose: str
) -> int:
    """One entry per record shown in a list of special-category data (``(subject person id, type, id)``).

    A worklist that shows a person's name beside the kind of help they asked for reads care data as
    surely as the detail page does.  One insert for the whole list; the person's own records are not
    logged, as everywhere else.
    """
    actor = actor_for(request)
    via = via_of(request)
    seen: set[tuple[str, str]] = set()
    entries = []
    for subject_person_id, record_type, record_id in records:
        key = (record_type, str(record_id))
        if key in seen or (actor.person_id is not None and actor.person_id == subject_person_id):
            continue
        seen.add(key)
        entry = _entry(actor, subject_person_id, record_type, record_id, action=action, purpose=purpose, via=via)
        entries.append(entry)
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def access_log_purge(*, now: timezone.datetime | None = None) -> int:
    """Delete entries older than the retention period (default 12 months); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS["access_log"])
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('cityofpeople.access_log_purge', 'on', true)")
        old = AccessLogEntry.objects.filter(at__lt=cutoff)
        # the append-only queryset refuses delete(); this is the one sanctioned deletion
        deleted, _ = models.QuerySet.delete(old)
    return int(deleted)


def client_network(request: HttpRequest | None) -> str:
    """The client's network (IPv4 /24, IPv6 /48) as a short keyed hash: the same network gives the same
    value, so many failures from one place stand out, but the address itself is not stored.

    The address is read the way allauth's rate limits read it (its adapter, so behind the reverse proxy
    the configured trusted proxies apply here too).
    """
    if request is None:
        return ""
    from allauth.account.adapter import get_adapter

    try:
        address = ipaddress.ip_address(get_adapter().get_client_ip(request))
    except (ValueError, TypeError, PermissionDenied, ImproperlyConfigured):
        return ""
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"client-network:{network}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def failed_login_record(*, request: HttpRequest | None, user_id: int | None, method: str) -> SecurityEvent:
    """One failed sign-in (a wrong password, code or second factor): the account if known, never what was typed."""
    event = SecurityEvent(
        kind=SecurityEvent.Kind.FAILED_LOGIN,
        method=method,
        user_id=user_id,
        client_network=client_network(request),
        via=via_of(request),
    )
    event.save(force_insert=True)
    return event


def security_events_purge(*, now: timezone.datetime | None = None) -> int:
    """Delete security events older than their retention period (by default the access log's); returns how many."""
    days = settings.RETENTION_DAYS.get("security_events", settings.RETENTION_DAYS["access_log"])
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('cityofpeople.access_log_purge', 'on', true)")
        # the append-only queryset refuses delete(); this is the one sanctioned deletion
        deleted, _ = models.QuerySet.delete(SecurityEvent.objects.filter(at__lt=cutoff))
    return int(deleted)
