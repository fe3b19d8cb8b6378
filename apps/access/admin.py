from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAccountAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.admin import UserSessionAdmin
from allauth.usersessions.models import UserSession
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from apps.core.capabilities import capabilities

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Closed: nobody adds, changes, deletes or even browses entries here.

    Who read whose data is itself personal data: only the auditor role searches the log, on the
    auditor's page (``access:log_search``), where each search is limited by the rule ``access.search_log``.
    Registered only so that every admin URL of the log answers 403.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- sessions: administrators end them for one person or for everyone (ASVS 7.4.5) -----------------


def _ended(count: int) -> str:
    return ngettext("%(count)d session ended.", "%(count)d sessions ended.", count) % {"count": count}


@admin.action(description=_("End the selected sessions"))
def end_selected_sessions(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
    count = 0
    for session in queryset:
        session.end()  # removes it from the session store, not only from this list
        count += 1
    modeladmin.message_user(request, _ended(count))


@admin.action(description=_("End all sessions of the selected accounts"))
def end_sessions_of_accounts(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from apps.people.signals import end_sessions

    count = sum(end_sessions(user.pk) for user in queryset)
    modeladmin.message_user(request, _ended(count))


admin.site.unregister(UserSession)


@admin.register(UserSession)
class EndableUserSessionAdmin(UserSessionAdmin):
    """allauth's list of signed-in sessions; deleting a row ends the session itself."""

    actions = [end_selected_sessions]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UserSession) -> None:
        obj.end()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
        for session in queryset:
            session.end()


# --- accounts: administrators manage them, they never take one over ----------------------------------
# An administrator who could set someone's password, change the address a reset link goes to, add an
# address to an account, read a second-factor secret or tie an OpenID Connect identity to an account could
# sign in as a coordinator or the auditor and read what the rules keep from administrators.  So here they
# see accounts, end their sessions, make them inactive and remove a lost authenticator (the procedure in
# docs/security.md), and nothing more.


class AccountAdmin(UserAdmin):
    """Django's user admin without the ways into someone else's account."""

    actions = [end_sessions_of_accounts]
    readonly_fields = ["username", "email", "password", "last_login", "date_joined"]

    def get_urls(self) -> list[Any]:
        return [url for url in super().get_urls() if not str(url.pattern).endswith("password/")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts come from sign-up (an address or number confirmed by its owner)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        raise PermissionDenied  # a person sets their own password (reset link to their own address)


class ReadOnlyEmailAddressAdmin(EmailAddressAdmin):
    """Addresses are shown and may be marked verified; none is added or changed here (a reset link would
    then reach whoever typed it)."""

    readonly_fields = ["user", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class SecretFreeAuthenticatorAdmin(AuthenticatorAdmin):
    """Which factors an account has, and removing a lost one; never the secret itself."""

    exclude = ["data"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LinkFreeSocialAccountAdmin(SocialAccountAdmin):
    """Which provider identity belongs to which account; never tied to another account here.  Listed only where an
    outside sign-in service (OpenID Connect: itsme, eID) is configured."""

    exclude = ["extra_data"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(settings.SOCIALACCOUNT_PROVIDERS) and super().has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model, model_admin in [
    (get_user_model(), AccountAdmin),
    (EmailAddress, ReadOnlyEmailAddressAdmin),
    (Authenticator, SecretFreeAuthenticatorAdmin),
    (SocialAccount, LinkFreeSocialAccountAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


# --- what a city administrator never needs: not in the admin at all ---------------------------------------
# Groups (the rules go by roles, apps/<app>/rules.py), outside services' app records and tokens (the OpenID Connect
# provider is configured in the settings, tokens are not stored) and the task worker's queue (what an email or an
# SMS said stays out of sight; operators read the worker's log).
for model in (Group, SocialApp, SocialToken, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# the names the city uses for other apps' models (each capability's ``admin_models``)
for declared in capabilities():
    for item in declared.admin_models:
        options = django_apps.get_model(item.model)._meta
        if item.label:
            options.verbose_name = item.label
        if item.label_plural:
            options.verbose_name_plural = item.label_plural
