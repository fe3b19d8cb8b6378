"""Screening pages (issue 17, item 2), in the ``wellbeing`` namespace (included from ``urls.py``)."""

from django.urls import path

from . import views_screening as views

urlpatterns = [
    # a coordinator, with a person they coordinate (the object rule decides: anyone else gets 404)
    path("wellbeing/persons/<int:person_pk>/screening/", views.screen_person, name="screen_person"),
    path("wellbeing/persons/<int:person_pk>/screenings/", views.person_screenings, name="person_screenings"),
    # one result: the person, or their coordinator while the consent holds
    path("wellbeing/screenings/<int:pk>/", views.screening, name="screening"),
    # a resident, for themselves
    path("wellbeing/me/screening/", views.screen_me, name="screen_me"),
    path("wellbeing/me/screenings/", views.my_screenings, name="my_screenings"),
]
