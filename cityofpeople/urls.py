"""Top-level URLs.  Pages are under a language prefix (/nl/, /en/, /fr/); the API and downloads are not.

Each app's pages are mounted from its declaration (``Capability.urls`` under ``Capability.url_prefix``,
``apps/<app>/capability.py``), in the order of ``INSTALLED_APPS``: a new capability adds no line here.
"""

from allauth.account.decorators import reauthentication_required
from allauth.usersessions.views import list_usersessions
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from apps.core.capabilities import capabilities
from apps.core.views import open_data_download, security_txt
from apps.people.login_codes import ConfirmLoginCodeView
from apps.people.mfa import ActivateAuthenticatorView
from apps.people.reauthentication_views import AuthenticatorStepView, PasswordStepView

from .api import api, api_not_found

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", include("apps.core.health_urls")),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    # every app's open datasets (apps/core/open_data.py): the same link whatever the language
    path("open-data/<slug:app>/<slug:slug>.<slug:ext>", open_data_download, name="open_data_download"),
]

urlpatterns += i18n_patterns(
    *(path(declared.url_prefix, include(declared.urls)) for declared in capabilities() if declared.urls),
    # "sign out everywhere" needs a fresh sign-in (ASVS 7.5.2): allauth's page, same name, in front of its own
    path(
        "accounts/sessions/",
        reauthentication_required(list_usersessions, allow_get=True, app=""),
        name="usersessions_list",
    ),
    # full re-authentication (ASVS 7.5.1) and our hashed recovery codes (6.5.2): allauth's names, in front
    path("accounts/reauthenticate/", PasswordStepView.as_view(), name="account_reauthenticate"),
    path("accounts/2fa/reauthenticate/", AuthenticatorStepView.as_view(), name="mfa_reauthenticate"),
    path("accounts/2fa/totp/activate/", ActivateAuthenticatorView.as_view(), name="mfa_activate_totp"),
    # a code's tries counted in the database, not the session (apps/people/login_codes.py)
    path("accounts/login/code/confirm/", ConfirmLoginCodeView.as_view(), name="account_confirm_login_code"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
)
