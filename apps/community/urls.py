"""Community life: its pages, mounted under the language prefix (/nl/, /en/, /fr/) because capability.py names
them."""

from django.urls import path

from . import views

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
]
