"""The public "Find help" pages (``views_search.py``): the search, one service, the list to print."""

from django.urls import path

from . import views_search

urlpatterns = [
    path("search/", views_search.search_page, name="search"),
    path("search/print/", views_search.print_page, name="print"),
    path("search/services/<uuid:pk>/", views_search.service_page, name="service"),
]
