"""Pages for the helper, made for a phone (views_helper.py)."""

from django.urls import path

from . import views_helper as views

urlpatterns = [
    path("help/", views.near_me, name="helper_home"),
    path("help/offer/", views.offer, name="offer"),
    path("help/messages/", views.helper_messages, name="helper_messages"),  # my messages, in the helper's menu
    path("help/away/", views.away, name="away"),
    path("help/away/<int:pk>/remove/", views.away_remove, name="away_remove"),
    path("help/requests/<int:pk>/", views.request_summary, name="request_summary"),
    path("help/requests/<int:pk>/take/", views.take, name="take"),
    path("help/matches/", views.helper_matches, name="helper_matches"),
    path("help/matches/<int:pk>/", views.helper_match, name="helper_match"),
    path("help/matches/<int:pk>/accept/", views.match_accept, name="match_accept"),
    path("help/matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("help/matches/<int:pk>/plan/", views.match_plan, name="match_plan"),
    path("help/matches/<int:pk>/done/", views.match_done, name="match_done"),
    path("help/matches/<int:pk>/cancel/", views.match_cancel, name="match_cancel"),
    path("help/hours/<int:pk>/", views.attestation, name="attestation"),
]
