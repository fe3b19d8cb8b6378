"""Community life: its pages, mounted under the language prefix (/nl/, /en/, /fr/) because capability.py names
them."""

from django.urls import path

from . import urls_coordination, urls_registrations, urls_support, views, views_events

app_name = "community"

urlpatterns = [
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/mine/", views.initiatives_mine, name="mine"),
    path("initiatives/review/", views.review_list, name="review_list"),
    path("initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("initiatives/<int:pk>/edit/<slug:step>/", views.initiative_step, name="initiative_step"),
    path("initiatives/<int:pk>/send/", views.initiative_send, name="initiative_send"),
    path("initiatives/<int:pk>/manage/<slug:action>/", views.initiative_manage, name="initiative_manage"),
    path("initiatives/<int:pk>/take-part/<slug:action>/", views.initiative_take_part, name="initiative_take_part"),
    path("initiatives/<int:pk>/review/<slug:action>/", views.review, name="initiative_review"),
    path("initiatives/<int:pk>/events/new/", views_events.event_new, name="event_new"),
    path("whats-on/", views_events.whats_on, name="whats_on"),
    path("whats-on/<int:pk>/", views_events.event, name="event"),
    path("whats-on/<int:pk>/edit/", views_events.event_edit, name="event_edit"),
    path("whats-on/<int:pk>/cancel/", views_events.event_cancel, name="event_cancel"),
    path("feeds/district/<int:number>.ics", views_events.feed_district, name="feed_district"),
    path("feeds/place/<slug:slug>.ics", views_events.feed_place, name="feed_place"),
    path("feeds/initiative/<int:pk>.ics", views_events.feed_initiative, name="feed_initiative"),
]
urlpatterns += urls_registrations.urlpatterns + urls_support.urlpatterns + urls_coordination.urlpatterns
