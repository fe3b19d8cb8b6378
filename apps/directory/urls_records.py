"""Placeholder until this part is written (issue 16)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("records/manage/", placeholder, name="manage"),
    path("records/review/", placeholder, name="review"),
]
