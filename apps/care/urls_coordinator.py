"""Pages for the coordinator: worklist (and each section whole), intake by phone, suggestions, rounds, call list
(views_coordinator.py)."""

from django.urls import path

from . import views_coordinator as views

urlpatterns = [
    path("coordinate/", views.worklist, name="worklist"),
    path("coordinate/worklist/<slug:section>/", views.worklist_section, name="worklist_section"),
    path("coordinate/persons/<int:person_pk>/request/", views.take_by_phone, name="take_by_phone"),
    path("coordinate/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("coordinate/requests/<int:pk>/propose/", views.propose, name="propose"),
    path("coordinate/requests/<int:pk>/cancel/", views.cancel_request, name="cancel_request"),
    path("coordinate/matches/<int:pk>/", views.coordinator_match, name="coordinator_match"),
    path("coordinate/rounds/", views.rounds, name="rounds"),
    path("coordinate/rounds/<int:pk>/", views.round_detail, name="round"),
    path("coordinate/rounds/<int:pk>/confirm/", views.round_confirm, name="round_confirm"),
    path("coordinate/calls/", views.call_list, name="call_list"),
    path("coordinate/helpers/<int:pk>/vetting/", views.vetting, name="vetting"),
]
