"""Community life: the pages of registrations for events and a person's own calendar feed (issue 18, item 3)."""

from django.urls import URLPattern, path

from . import views_registrations as views

urlpatterns: list[URLPattern] = [
    path("whats-on/new/", views.event_new_city, name="event_new_city"),
    path("whats-on/mine/", views.my_registrations, name="my_registrations"),
    path("whats-on/mine/new-address/", views.feed_renew, name="feed_renew"),
    path("whats-on/<int:pk>/register/", views.register, name="register"),
    path("whats-on/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("whats-on/programme/district/<int:number>/", views.programme_district, name="programme_district"),
    path("whats-on/programme/place/<slug:slug>/", views.programme_place, name="programme_place"),
    path("feeds/me/<str:token>.ics", views.feed_personal, name="feed_personal"),
]
