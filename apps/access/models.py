"""The access log: one row per read, change, export or denied attempt on special-category data.

It holds who, in which role, whose data, which record, what, why, the outcome,
when and through which page — never the data itself.  Rows cannot be changed
or deleted through the ORM, the admin or the API; on PostgreSQL a trigger
makes the database itself refuse UPDATE and DELETE, except for the retention
purge, which sets a transaction-local flag first.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete a log entry."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AccessLogIsAppendOnly("The access log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AccessLogIsAppendOnly("The access log cannot be deleted; old entries are purged by retention only.")


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("read")
        LIST = "list", _("seen in a list")
        CHANGE = "change", _("change")
        EXPORT = "export", _("export")
        ERASE = "erase", _("erase")

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        DENIED = "denied", _("denied")

    at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)
    # plain ids, not foreign keys: deleting an account or erasing a person must never touch the log
    actor_user_id = models.BigIntegerField(_("account"), null=True, blank=True, db_index=True)
    actor_person_id = models.BigIntegerField(_("person acting"), null=True, blank=True)
    actor_role = models.CharField(_("role"), max_length=40)
    subject_person_id = models.BigIntegerField(_("whose data"), null=True, blank=True, db_index=True)
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.CharField(_("record"), max_length=60)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    via = models.CharField(_("page or endpoint"), max_length=200)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["subject_person_id", "-at"]),
            # the auditor's activity view and the search for one account on one day (``activity.py``)
            models.Index(fields=["actor_user_id", "at"], name="access_log_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_role} {self.action} {self.record_type}#{self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AccessLogIsAppendOnly("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AccessLogIsAppendOnly("The access log cannot be deleted; old entries are purged by retention only.")


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AccessLogIsAppendOnly("Security events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AccessLogIsAppendOnly("Security events cannot be deleted; old ones are purged by retention only.")


class SecurityEvent(models.Model):
    """A failed sign-in, kept for the auditor's activity view (``access:activity``): append-only, like the log.

    It holds which account was tried (when the typed email address or number belongs to one), how
    (password, a code by email or SMS, the second factor), when, and the client's network as a keyed
    hash (``client_network``): never the typed password or code, never the typed identifier, never the
    full address.  Kept as long as the access log (``RETENTION_DAYS["security_events"]``).
    """

    class Kind(models.TextChoices):
        FAILED_LOGIN = "failed_login", _("failed sign-in")

    class Method(models.TextChoices):
        PASSWORD = "password", _("password")
        CODE = "code", _("code by email or text message")
        SECOND_FACTOR = "second_factor", _("second factor")

    at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    # a plain id, not a foreign key: deleting an account must not touch the events (as in the access log)
    user_id = models.BigIntegerField(_("account"), null=True, blank=True)
    client_network = models.CharField(_("network (keyed hash)"), max_length=16, blank=True)
    via = models.CharField(_("page or endpoint"), max_length=200)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["user_id", "at"], name="security_event_user_at"),
            models.Index(fields=["client_network", "at"], name="security_event_network_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.method} account {self.user_id or '-'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AccessLogIsAppendOnly("Security events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AccessLogIsAppendOnly("Security events cannot be deleted; old ones are purged by retention only.")
