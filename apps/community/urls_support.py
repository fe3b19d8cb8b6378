"""Community life: the pages of support requests, materials and grant calls (issue 18, item 2)."""

from django.urls import URLPattern, path

from . import views_support

urlpatterns: list[URLPattern] = [
    path("initiatives/<int:pk>/support/", views_support.support_list, name="support_list"),
    path("initiatives/<int:pk>/support/new/<slug:kind>/", views_support.support_new, name="support_new"),
    path("support/", views_support.support_worklist, name="support_worklist"),
    path("support/<int:pk>/", views_support.support_request, name="support_request"),
    path("support/<int:pk>/<slug:action>/", views_support.support_act, name="support_act"),
    path("materials/", views_support.materials, name="materials"),
    path("grants/", views_support.grant_calls, name="grant_calls"),
    path("grants/<int:pk>/", views_support.grant_call, name="grant_call"),
    path("grants/<int:pk>/jury/", views_support.jury, name="jury"),
    path("grants/applications/<int:pk>/score/", views_support.jury_score, name="jury_score"),
]
