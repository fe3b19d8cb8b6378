"""{{ title }}: its pages.

Views parse input and call selectors and services; who may see what is in rules.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.access.decorators import requires


@require_GET
@requires("{{ app_name }}.view_index")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "{{ app_name }}/index.html")
