from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.log_search, name="log_search"),
    path("activity/", views.activity, name="activity"),
]
