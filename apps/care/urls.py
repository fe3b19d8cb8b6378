"""Pages of care matching, one module of views per person who uses them."""

from django.urls import include, path

app_name = "care"

urlpatterns = [
    path("", include("apps.care.urls_resident")),
    path("", include("apps.care.urls_helper")),
    path("", include("apps.care.urls_coordinator")),
]
