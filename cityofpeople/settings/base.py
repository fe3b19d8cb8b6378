"""Settings shared by every environment.

Environment-specific modules (``dev``, ``test``, ``prod``) import everything
from here and change only what differs.  Secrets and the database always
come from environment variables (see ``env.py``).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import database_from_url, env_bool, env_int_or, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("COP_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("COP_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("COP_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "apps.core",  # first: its templates override those of allauth and Django
    "apps.access.admin_config.CityAdminConfig",  # the admin, open to administrators only (apps/access/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widgets' own templates, for the project's form renderer (apps/core/forms.py)
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "apps.places",
    "apps.people",
    "apps.organisations",
    "apps.access",
    "apps.care",
    "apps.directory",
    "apps.wellbeing",
    "apps.community",
]

MIDDLEWARE = [
    "apps.core.middleware.InputGuardMiddleware",  # first: input no database stores; JSON errors on /api/
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.people.middleware.StaffSessionMiddleware",
    "apps.access.middleware.NoStoreForSignedInMiddleware",
    "apps.core.middleware.RateLimitedMiddleware",
]

ROOT_URLCONF = "cityofpeople.urls"
WSGI_APPLICATION = "cityofpeople.wsgi.application"

# A city brings its own look by pointing COP_THEME_DIR at a folder with
# static files (css/theme.css, img/logo.svg) and, optionally, templates.
THEME_DIR = Path(env_str("COP_THEME_DIR", str(BASE_DIR / "themes" / "gent")))
# the style guide's colour scheme, a class on <body> (gent_styleguide: cs--blue, cs--cyan, cs--green, ...)
THEME_COLOUR_SCHEME = env_str("COP_THEME_COLOUR_SCHEME", "cs--blue")
THEME_LOGO = env_str("COP_THEME_LOGO", "vendor/gent_styleguide/styleguide/img/svg/logo.svg")
THEME_FAVICON = env_str(
    "COP_THEME_FAVICON", "vendor/gent_styleguide/styleguide/img/favicon/build/blue/favicon-32x32.png"
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
            ],
        },
    },
]

# every form is drawn by the design system's templates (apps/core/templates/components/, docs/design.md)
FORM_RENDERER = "apps.core.forms.CityFormRenderer"

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/cityofpeople.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# one process (development, tests): memory; production shares a database cache (prod.py).  Large enough for what
# pages keep: each event of a calendar feed is kept on its own (apps/community/events.py), 300 would not hold one
# district's
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
}

# OWASP ASVS 5.0 V6.2 (docs/security.md): at least 10 characters, no upper limit and no composition rules
# (an all-digit password is fine when it is long and not common); refused: common, about this site, breached.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "apps.people.passwords.CommonPasswordValidator"},
    {"NAME": "apps.people.passwords.ContextWordsValidator"},
    {"NAME": "apps.people.passwords.BreachedPasswordValidator"},
]
COMMON_PASSWORDS_FILE = Path(
    env_str("COP_COMMON_PASSWORDS_FILE", str(BASE_DIR / "data" / "passwords" / "common-passwords-10-or-more.txt.gz"))
)
# the Pwned Passwords range API (k-anonymity: 5 characters of a SHA-1 leave the server); empty: no breach check
BREACHED_PASSWORDS_URL = env_str("COP_BREACHED_PASSWORDS_URL", "https://api.pwnedpasswords.com/range/")
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60  # a reset link works once, for one day
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- allauth: email or mobile number is the login; both are verified
ACCOUNT_ADAPTER = "apps.people.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "apps.people.forms.LoginForm",
    "signup": "apps.people.forms.SignupForm",
    "verify_phone": "apps.people.login_codes.VerifyPhoneForm",  # tries counted in the database
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]  # phone-only: apps.people.phone_signup
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# no "remember me": the session cookie always ends when the browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE),
# for everyone; a resident on a library's or a neighbourhood centre's computer leaves nothing signed in behind
ACCOUNT_SESSION_REMEMBER = False
# changing the email address, phone number, password or second factor needs a fresh sign-in (ASVS 7.5.1)
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell people when their sign-in details change (SMS for phone-only accounts)
ACCOUNT_LOGIN_BY_CODE_ENABLED = True  # a one-time code by email or SMS instead of a password
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60  # out-of-band codes live at most 10 minutes (ASVS 6.5.5)
# six digits, easy to type on an old phone (also used for SMS login codes)
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# repeated failures lock the address and the account for a while (allauth's own throttle)
ACCOUNT_RATE_LIMITS = {
    # per account 5 tries in 5 minutes; per address more, so one typo-prone office is not locked out
    "login_failed": "20/5m/ip,5/5m/key",
    "request_login_code": "5/15m/ip,3/15m/key",
    "phone_signup": "10/1h/ip,3/15m/key",
    "reauthenticate_code": "3/15m/key",
    # allauth's 1/m counts the attempt stopped for re-authentication and its replay afterwards: allow both
    "change_phone": "3/m/user",
    # a coordinator's checks for a likely duplicate when registering a person by phone: enough for a busy day of
    # calls, too few to try the city's phone numbers one by one (apps/people/views.py person_register)
    "person_duplicate_check": "30/1h/user,100/1d/user",
}
# The client's address, for the per-address limits above (and the list of one's sessions). Behind reverse
# proxies every request comes from the nearest proxy: COP_TRUSTED_PROXY_COUNT says how many proxies of the
# city's own stand in front, and the address is then read from X-Forwarded-For, that many entries from the
# right (those entries are written by the city's proxies; anything further left a client may have made up).
# 0 (the default here; production's default is 1, see prod.py): X-Forwarded-For is ignored entirely.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int_or("COP_TRUSTED_PROXY_COUNT", 0)
# or a header the proxy always sets itself, overwriting what a client sent (nginx: X-Real-IP); empty: none
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("COP_TRUSTED_CLIENT_IP_HEADER", "") or None
# allauth's recovery codes are derived from a seed stored in the clear: ours are hashed (apps.people.recovery)
MFA_SUPPORTED_TYPES = ["totp"]
MFA_FORMS = {"authenticate": "apps.people.mfa.AuthenticateForm", "reauthenticate": "apps.people.mfa.ReauthenticateForm"}
MFA_TOTP_ISSUER = "City of People"
USERSESSIONS_TRACK_ACTIVITY = True  # shown on "Where you are signed in"; kept up to date once a minute by
# apps.people.middleware.StaffSessionMiddleware, not by allauth's middleware on every request
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over an account because an outside provider says so
SOCIALACCOUNT_PROVIDERS = (
    {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": env_str("COP_OIDC_PROVIDER_ID", "eid"),
                    "name": env_str("COP_OIDC_NAME", "itsme / eID"),
                    "client_id": env_str("COP_OIDC_CLIENT_ID", ""),
                    "secret": env_str("COP_OIDC_SECRET", ""),
                    "settings": {
                        "server_url": env_str("COP_OIDC_SERVER_URL", ""),
                        "token_auth_method": "client_secret_post",
                        "oauth_pkce_enabled": True,
                    },
                }
            ],
        }
    }
    if env_str("COP_OIDC_SERVER_URL", "")
    else {}
)
# staff who can see care or wellbeing data: second factor, short sessions
# where vulnerabilities are reported (RFC 9116 /.well-known/security.txt; SECURITY.md): each city sets its own
SECURITY_CONTACT = env_str("COP_SECURITY_CONTACT", "")
STAFF_MFA_ROLES = ["coordinator", "auditor", "administrator"]
STAFF_IDLE_SECONDS = 30 * 60
STAFF_ABSOLUTE_SECONDS = 12 * 60 * 60
# everyone else: one hour idle, 12 hours in all (and the session cookie ends when the browser closes)
SESSION_IDLE_SECONDS = 60 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# each person lands on their own start page, declared by the apps (Capability.landing); a safe ?next= wins
LOGIN_REDIRECT_URL = "core:landing"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"

# --- languages: Dutch first, English and French complete
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# dates in words in each language (never 12/7), 24-hour clock, week from Monday: cityofpeople/formats/<lang>/
FORMAT_MODULE_PATH = ["cityofpeople.formats"]

# --- static files: our own, the theme, and the npm packages served as they are
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("theme", THEME_DIR / "static"),
    # only what the compiled CSS uses: its JS vendor folder has broken source-map links
    ("vendor/gent_styleguide/css", NODE_MODULES / "gent_styleguide" / "build" / "css"),
    *(
        (f"vendor/gent_styleguide/styleguide/{part}", NODE_MODULES / "gent_styleguide" / "build" / "styleguide" / part)
        for part in ("fonts", "googlefonts", "img")
    ),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- background work: Django's task interface, database backend, db_worker
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- messages to people: email through Django, SMS through our small interface
# Pages queue email; the task worker delivers it with EMAIL_DELIVERY_BACKEND and retries.
EMAIL_BACKEND = "apps.core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env_str("COP_EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("COP_FROM_EMAIL", "City of People Gent <noreply@cityofpeople.gent.example>")
EMAIL_FILE_PATH = env_str("COP_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SMS_BACKEND = env_str("COP_SMS_BACKEND", "apps.core.sms.ConsoleSmsBackend")
SMS_SENDER = env_str("COP_SMS_SENDER", "CityofPeople")

# --- places: the district polygons and the offline address register
GEO_DATA_DIR = Path(env_str("COP_GEO_DATA_DIR", str(BASE_DIR / "data" / "gent")))
DISTRICTS_FILE = GEO_DATA_DIR / "stadswijken-gent.geojson"
ADDRESSES_FILE = GEO_DATA_DIR / "addresses-crab2014.csv"
GEOCODER = env_str("COP_GEOCODER", "apps.places.geo.OfflineGeocoder")
CITY_NAME = env_str("COP_CITY_NAME", "Gent")

# --- security defaults that hold everywhere
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("COP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The demo has public passwords: allowed only where the environment says so
DEMO_ALLOWED = env_bool("COP_ALLOW_DEMO", False)

# Retention per kind of data the foundation keeps, in days; applied every day by the retention task.  A
# capability declares its own kinds and their settings in apps/<app>/capability.py (care: CARE_RETENTION_*).
RETENTION_DAYS = {
    "access_log": int(env_str("COP_RETENTION_ACCESS_LOG_DAYS", "365")),
    "withdrawn_consents": int(env_str("COP_RETENTION_WITHDRAWN_CONSENTS_DAYS", str(5 * 365))),
    "support_needs_inactive": int(env_str("COP_RETENTION_SUPPORT_NEEDS_DAYS", str(2 * 365))),
    # changes of one's home or reach (apps.people.models.PlaceChange): as long as the access log unless set
    "place_changes": int(
        env_str("COP_RETENTION_PLACE_CHANGES_DAYS", env_str("COP_RETENTION_ACCESS_LOG_DAYS", "365"))
    ),
    # failed sign-ins (apps.access.models.SecurityEvent): as long as the access log unless set
    "security_events": int(
        env_str("COP_RETENTION_SECURITY_EVENTS_DAYS", env_str("COP_RETENTION_ACCESS_LOG_DAYS", "365"))
    ),
}

# The auditor's activity view (apps/access/activity.py): per account and day, a count stands out when it
# reaches its fixed limit, or when it is FACTOR times that account's usual day (the median of its active
# days in the BASELINE_DAYS before) or FACTOR times the median of its role that day (with at least
# MIN_PEERS others of that role active), and is at least half the fixed limit.  Each app declares the
# fixed limit of each kind it counts (ActivitySource.threshold); the environment's COP_ACTIVITY_<KIND>
# (COP_ACTIVITY_READS, COP_ACTIVITY_TAKES…) overrides it, and a kind set here overrides both.
ACTIVITY_THRESHOLDS: dict[str, int] = {}
ACTIVITY_FACTOR = int(env_str("COP_ACTIVITY_FACTOR", "3"))
ACTIVITY_BASELINE_DAYS = int(env_str("COP_ACTIVITY_BASELINE_DAYS", "28"))
ACTIVITY_MIN_PEERS = int(env_str("COP_ACTIVITY_MIN_PEERS", "3"))

# The public address of the platform, for links in emails and text messages
SITE_URL = env_str("COP_SITE_URL", "http://127.0.0.1:8000")

# Each app declares its own settings, with their environment variables and defaults, in
# apps/<app>/capability.py (care's CARE_* from COP_CARE_*); a value set in this module wins.

# How often, in 24 hours, a person may change their own home address and a helper how far they travel
# (apps/people/places.py): both decide which requests a helper is shown; a coordinator's change on
# someone's behalf is never limited.  Every change is recorded for the auditor (people.PlaceChange).
PLACE_CHANGES_PER_DAY = {
    "home": int(env_str("COP_HOME_CHANGES_PER_DAY", "3")),
    "reach": int(env_str("COP_REACH_CHANGES_PER_DAY", "5")),
}
