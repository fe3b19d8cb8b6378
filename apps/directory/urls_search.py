"""Placeholder until this part is written (issue 16)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("search/search/", placeholder, name="search"),
]
