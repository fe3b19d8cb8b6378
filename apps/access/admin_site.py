"""The Django admin opens only for an active staff account that holds the administrator role now.

- The role is read from the database on every request, like every other rule:
  withdrawing it closes the admin at once (ASVS 8.2.1, 8.3.1).
- There is one way to sign in: allauth's, with its throttling and the second
  factor.  The admin's own login form and password-change form are never
  shown; they send people to the account pages (ASVS 6.3.4).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class CityAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from apps.people.models import Role

        from .actors import actor_for

        user = request.user
        return bool(user.is_active and user.is_staff and actor_for(request).has_role(Role.ADMINISTRATOR))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("account_login"))

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return redirect("account_change_password")
