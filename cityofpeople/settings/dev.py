"""Development and the one-command demo: embedded SQLite, console email and SMS."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("COP_DEBUG", True)
# runserver serves the files from STATICFILES_DIRS directly; no manifest needed
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
DEMO_ALLOWED = env_bool("COP_ALLOW_DEMO", True)
BREACHED_PASSWORDS_URL = env_str("COP_BREACHED_PASSWORDS_URL", "")  # offline by default on a laptop
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
