"""Community life: the district's coordination view (issue 18, item 4)."""

from django.urls import URLPattern, path

from . import views_coordination as views

urlpatterns: list[URLPattern] = [
    path("districts/all/coordination/", views.coordination_index, name="coordination_index"),
    path("districts/<int:number>/coordination/", views.coordination_page, name="coordination"),
    path("districts/<int:number>/coordination/follow-ups/", views.follow_up_note, name="coordination_note"),
    path("districts/<int:number>/coordination/follow-ups/<int:pk>/done/", views.follow_up_done,
         name="coordination_done"),
]  # fmt: skip
