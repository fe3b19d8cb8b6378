from typing import Any

from allauth.usersessions.admin import UserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


user_admin = admin.site._registry.get(get_user_model())
if user_admin is not None and end_sessions_of_accounts not in (user_admin.actions or []):
    user_admin.actions = [*(user_admin.actions or []), end_sessions_of_accounts]
