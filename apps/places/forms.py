from django import forms
from django.utils.translation import gettext_lazy as _


class AddressSearchForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Street and house number, for example: Sint-Pietersnieuwstraat 33, 9000 Gent"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
