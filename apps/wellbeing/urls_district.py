"""The district view of wellbeing (item 6)."""

from django.urls import path

from . import views_district

urlpatterns = [
    path("wellbeing/district/", views_district.district_page, name="district"),
]
