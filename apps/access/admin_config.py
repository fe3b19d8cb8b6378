"""The Django admin with our site class (``admin_site.py``); INSTALLED_APPS lists it instead of django.contrib.admin."""

from django.contrib.admin.apps import AdminConfig


class CityAdminConfig(AdminConfig):
    default_site = "apps.access.admin_site.CityAdminSite"
