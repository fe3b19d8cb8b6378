"""The organisations' own records ("Our services") and the city's review of their changes."""

from django.urls import path

from . import views_records as views

urlpatterns = [
    path("records/", views.manage, name="manage"),
    path("records/services/new/", views.manage_service, name="manage_service"),
    path("records/services/<uuid:pk>/", views.manage_service, name="manage_service"),
    path("records/locations/new/", views.manage_location, name="manage_location"),
    path("records/locations/<uuid:pk>/", views.manage_location, name="manage_location"),
    path("records/profile/", views.manage_profile, name="manage_profile"),
    path("records/changes/<int:pk>/", views.revision, name="revision"),
    path("records/confirm/", views.confirm, name="confirm"),
    path("records/review/", views.review, name="review"),
    path("records/review/<int:pk>/", views.review_revision, name="review_revision"),
]
