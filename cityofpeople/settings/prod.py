"""Production: PostgreSQL, real secrets, HTTPS only.  Everything comes from the environment.

Required: COP_SECRET_KEY, DATABASE_URL, COP_ALLOWED_HOSTS.  ``manage.py check
--deploy --fail-level WARNING`` passes with these settings (a test proves it).
"""

from .base import *  # noqa: F403
from .env import env_int_or, env_str

DEBUG = False
SECRET_KEY = env_str("COP_SECRET_KEY")

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int_or("COP_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies are bound to this exact host, sent only over HTTPS, never to subdomains
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-language"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_PATH = "/"
EMAIL_HOST = env_str("COP_EMAIL_HOST", "localhost")
# one reverse proxy in front (README "Deploying"): the client's address is the last X-Forwarded-For entry
ALLAUTH_TRUSTED_PROXY_COUNT = env_int_or("COP_TRUSTED_PROXY_COUNT", 1)
# rate limits and throttles must be shared by every application process
# and large enough for what pages keep: every event of a feed (community/events.py), a district's findings
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cop_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}  # fmt: skip
