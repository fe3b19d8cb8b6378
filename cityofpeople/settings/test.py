"""Tests: SQLite by default (the fast suite); DATABASE_URL selects PostgreSQL (the database suite)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "apps.core.sms.MemorySmsBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# most limits off so tests can repeat steps; those that change a flow (a replay after re-authentication,
# the codes sent to confirm it is you) stay as in production
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "change_phone": ACCOUNT_RATE_LIMITS["change_phone"],  # noqa: F405
    "reauthenticate_code": ACCOUNT_RATE_LIMITS["reauthenticate_code"],  # noqa: F405
}
DEMO_ALLOWED = True
BREACHED_PASSWORDS_URL = ""  # no calls to the outside world; the breach test runs its own fake service
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURITY_CONTACT = "mailto:security@cityofpeople.gent.example"
