from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.district_list, name="district_list"),
    path("address/", views.address_search, name="address_search"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
    path("<slug:slug>/", views.district_detail, name="district_detail"),
]
