from django.urls import path

from . import design, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),  # LOGIN_REDIRECT_URL: each person's own start page
    path("about/", views.about, name="about"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("design-system/", design.gallery, name="design"),
]
