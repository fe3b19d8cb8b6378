"""The district view of wellbeing (item 6): counts per district for its coordinators and city staff, small ones
hidden (``district_view.py``)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can

from .district_view import district_view, districts_for


class DistrictChoice(forms.Form):
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False)

    def __init__(self, *args: object, districts: list, **kwargs: object) -> None:  # type: ignore[type-arg]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["district"].choices = [(district.pk, district.name) for district in districts]  # type: ignore[attr-defined]


@require_GET
@requires("wellbeing.view_district")
def district_page(request: HttpRequest) -> HttpResponse:
    """One district at a time: the first of the reader's own, or the one chosen (a GET form, no JavaScript)."""
    actor = actor_for(request)
    districts = districts_for(actor)
    form = DistrictChoice(request.GET or None, districts=districts)
    chosen = districts[0] if districts else None
    if form.is_bound:
        if not form.is_valid():
            raise Http404
        wanted = form.cleaned_data["district"]
        chosen = next((district for district in districts if district.pk == wanted), chosen)
    if chosen is None or not can(actor, "wellbeing.view_district", chosen):
        raise Http404
    context = {"form": form if len(districts) > 1 else None, "view": district_view(chosen)}
    return render(request, "wellbeing/district/view.html", context)
