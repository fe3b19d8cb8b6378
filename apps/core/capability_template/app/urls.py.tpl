"""{{ title }}: its pages.

Mounted under the language prefix (/nl/, /en/, /fr/) because capability.py names them.
"""

from django.urls import path

from . import views

app_name = "{{ app_name }}"

urlpatterns = [
    path("{{ app_name }}/", views.index, name="index"),
]
