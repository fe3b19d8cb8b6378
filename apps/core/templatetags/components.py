"""The design system's template tags: ``{% load components %}``.

Each component is one template in ``components/``; these tags only choose the template and pass it what it
needs, so the markup of a button, a notice or a card exists exactly once (docs/design.md).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from apps.core.components import TAG_VARIANTS, Table

register = template.Library()

BUTTON_VARIANTS = {
    "primary": "button-primary",
    "secondary": "button-secondary",
    "danger": "button-danger",
    "link": "button-link",
}
NOTICE_VARIANTS = {
    "info": ("info", "icon-info"),
    "success": ("status", "icon-checkmark"),
    "warning": ("warning", "icon-exclamation"),
    "error": ("error", "icon-exclamation"),
}
# components that wrap content: {% component "name" key=value %}...{% endcomponent %}
BLOCK_COMPONENTS = {"notice", "card", "card_list", "empty", "fieldset", "details"}


def _problems(form: BaseForm) -> list[dict[str, Any]]:
    """Every error of a form in the order the fields appear, each pointing at the control to fix."""
    problems: list[dict[str, Any]] = [
        {"label": "", "message": error, "target": None} for error in form.non_field_errors()
    ]
    for bound in form:
        for error in bound.errors:
            target = None
            if not bound.is_hidden and bound.auto_id:
                # a group of radios or checkboxes is reached through its first choice
                target = f"{bound.auto_id}_0" if bound.use_fieldset else bound.id_for_label
            # a label that is a sentence ends in a full stop: "... undone.: message" would read oddly
            label = str(bound.label).rstrip(" .:") if not bound.is_hidden else ""
            problems.append({"label": label, "message": error, "target": target})
    return problems


@register.simple_tag
def error_summary(*forms: BaseForm | str | None) -> SafeString:
    """GOV.UK's error summary: "There is a problem", a link to each field, focused when the page opens.

    A form the view left out of the context arrives as an empty string and is passed over, as Django's own tags
    pass over a missing variable."""
    problems = [
        problem for form in forms if isinstance(form, BaseForm) and form.is_bound for problem in _problems(form)
    ]
    return render_to_string("components/error_summary.html", {"problems": problems})


@register.simple_tag(takes_context=True)
def button(
    context: Context,
    label: str,
    variant: str = "primary",
    type: str = "submit",
    href: str = "",
    name: str = "",
    value: Any = None,
    form: str = "",
    describedby: str = "",
    disabled: bool = False,
    extra_class: str = "",
    hidden: bool = False,
    **attrs: Any,
) -> SafeString:
    """A button (or a link that looks like one, with ``href``): primary, secondary, danger or link.

    ``hidden=True`` for a button that a script shows (a "Print" button, shown by care/print.js only when it runs).
    """
    if variant not in BUTTON_VARIANTS:
        raise template.TemplateSyntaxError(f"button variant {variant!r}; use one of {sorted(BUTTON_VARIANTS)}")
    if type not in {"submit", "button", "reset"}:
        raise template.TemplateSyntaxError(f"button type {type!r}")
    data_attrs = {key.replace("_", "-"): val for key, val in attrs.items()}
    unknown = [key for key in data_attrs if not key.startswith(("data-", "hx-", "aria-"))]
    if unknown:
        raise template.TemplateSyntaxError(f"button does not take {unknown}")
    return render_to_string(
        "components/button.html",
        {
            "label": label,
            "variant_class": BUTTON_VARIANTS[variant],
            "type": type,
            "href": href,
            "name": name,
            "value": value,
            "form": form,
            "describedby": describedby,
            "disabled": disabled,
            "hidden": hidden,
            "extra_class": extra_class,
            "attrs": data_attrs,
        },
    )


@register.simple_tag
def status_tag(label: str, variant: str = "neutral") -> SafeString:
    """A status word as a tag; the colour repeats the word for those who see it."""
    if variant not in TAG_VARIANTS:
        raise template.TemplateSyntaxError(f"status_tag variant {variant!r}; use one of {TAG_VARIANTS}")
    return render_to_string("components/status_tag.html", {"label": label, "variant": variant})


@register.simple_tag(takes_context=True)
def sub_nav(context: Context, label: str, *pairs: Any) -> SafeString:
    """The pages of one part of the site as a row of tabs: ``{% sub_nav _("My help") "care:ask" _("Ask") ... %}``.

    Given as url name and label pairs so the current page is marked the same way on every sub-navigation.
    """
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("sub_nav takes url name and label pairs")
    request = context.get("request")
    path = request.path if request is not None else ""
    links = []
    for url_name, link_label in zip(pairs[::2], pairs[1::2], strict=True):
        url = reverse(url_name)
        links.append({"url": url, "label": link_label, "current": url == path})
    return render_to_string("components/sub_nav.html", {"label": label, "links": links})


@register.simple_tag(takes_context=True)
def table(context: Context, data: Table) -> SafeString:
    """A table on a wide screen, a list of cards on a phone (apps/core/components.py builds the rows).

    The page's ``csrf_token`` and ``request`` go along, so a cell template may hold a form with ``{% csrf_token %}``.
    """
    values = {"table": data, "csrf_token": context.get("csrf_token"), "request": context.get("request")}
    return render_to_string("components/table.html", values)


class ComponentNode(template.Node):
    def __init__(self, name: str, kwargs: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        in_list = bool(context.get("_in_card_list"))
        # the cards right inside a card list are its items; what a card holds is not (a card in a card is an article)
        with context.push(_in_card_list=self.name == "card_list"):
            values["content"] = self.nodelist.render(context)
        if self.name == "notice":
            variant = values.get("variant", "info")
            if variant not in NOTICE_VARIANTS:
                raise template.TemplateSyntaxError(f"notice variant {variant!r}; use one of {sorted(NOTICE_VARIANTS)}")
            values["variant"] = variant
            values["variant_class"], values["icon"] = NOTICE_VARIANTS[variant]
        if self.name == "card":
            values.setdefault("heading", 2)
            values["in_list"] = in_list
            tag = values.get("tag")
            if tag is not None:
                values["tag_label"], values["tag_variant"] = tag.label, tag.variant
        return render_to_string(f"components/{self.name}.html", values)


@register.tag("component")
def component(parser: Parser, token: Token) -> ComponentNode:
    """``{% component "notice" variant="warning" title=... %}content{% endcomponent %}``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("component needs a name")
    name = bits[1].strip("\"'")
    if name not in BLOCK_COMPONENTS:
        raise template.TemplateSyntaxError(f"unknown component {name!r}; use one of {sorted(BLOCK_COMPONENTS)}")
    kwargs: dict[str, FilterExpression] = {}
    for bit in bits[2:]:
        key, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(f"component {name}: {bit!r} is not key=value")
        kwargs[key] = parser.compile_filter(value)
    nodelist = parser.parse(("endcomponent",))
    parser.delete_first_token()
    return ComponentNode(name, kwargs, nodelist)
