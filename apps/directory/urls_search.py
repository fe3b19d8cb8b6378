"""The public "Find help" pages (``views_search.py``): the search, one service, the list to print."""

from django.urls import path

from . import views_search

urlpatterns = [
    path("find-help/", views_search.search_page, name="search"),
    path("find-help/print/", views_search.print_page, name="print"),
    path("find-help/services/<uuid:pk>/", views_search.service_page, name="service"),
]
