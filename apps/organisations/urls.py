from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("my-organisation/", views.my_organisation, name="my_organisation"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
]
