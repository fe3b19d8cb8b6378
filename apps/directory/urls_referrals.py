"""Placeholder until this part is written (issue 16)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("referrals/referrals/", placeholder, name="referrals"),
    path("referrals/incoming/", placeholder, name="incoming"),
    path("referrals/refer/<int:person_pk>/", placeholder, name="refer"),
]
