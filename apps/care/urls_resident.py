"""Pages for the resident who asks for help (views_resident.py)."""

from django.urls import path

from . import views_resident as views

urlpatterns = [
    path("care/", views.my_requests, name="my_requests"),
    path("care/ask/", views.ask, name="ask"),
    path("care/requests/<int:pk>/", views.my_request, name="my_request"),
    path("care/requests/<int:pk>/cancel/", views.cancel_my_request, name="cancel_my_request"),
    path("care/matches/<int:pk>/feedback/", views.resident_feedback, name="resident_feedback"),
    path("care/messages/", views.messages, name="messages"),
]
