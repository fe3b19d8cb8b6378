"""Structural signals (issue 17, item 5): their pages, joined into ``urls.py`` (namespace ``wellbeing``)."""

from django.urls import path

from . import views_signals as views

urlpatterns = [
    # anyone, no account: what was reported per district (no reporter, no words, no house number)
    path("wellbeing/signals/districts/", views.signals_public, name="signals_public"),
    path("wellbeing/signals/districts/<slug:slug>/", views.signals_district, name="signals_district"),
    # anyone signed in: report one, follow one's own
    path("wellbeing/signals/new/", views.signal_new, name="signal_new"),
    path("wellbeing/signals/mine/", views.signals_mine, name="signals_mine"),
    # city staff and administrators: triage
    path("wellbeing/signals/", views.signals, name="signals"),
    path("wellbeing/signals/<int:pk>/", views.signal, name="signal"),
    path("wellbeing/signals/<int:pk>/photo/", views.signal_photo, name="signal_photo"),
]
