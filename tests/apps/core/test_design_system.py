"""The design system's components: what the markup says to a screen reader and to a person tapping a label."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import translation

from apps.core.components import Cell, Column, Table, Tag
from apps.core.forms import ClockInput, DayInput

pytestmark = pytest.mark.django_db


class ConsentForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As the person likes to be called.")
    call_me = forms.BooleanField(label="The coordinator may call me", help_text="You can take this back.")
    mail_me = forms.BooleanField(label="The coordinator may write to me", required=False)
    part = forms.ChoiceField(
        label="When?", choices=[("am", "Morning"), ("pm", "Afternoon")], widget=forms.RadioSelect, help_text="One."
    )
    languages = forms.MultipleChoiceField(
        label="Languages", choices=[("nl", "Dutch"), ("fr", "French")], widget=forms.CheckboxSelectMultiple
    )


def render(source: str, **context: object) -> str:
    return Template("{% load components %}" + source).render(Context(context))


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_every_aria_describedby_points_at_an_id_on_the_page() -> None:
    form = ConsentForm({"name": "", "part": ""})
    form.is_valid()
    html = str(form)
    ids = ids_in(html)
    described = [ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()]
    assert described, "hints and errors are tied to their fields"
    assert set(described) <= ids, set(described) - ids


def test_a_checkbox_sits_right_before_its_own_label() -> None:
    """Each box and its words are one unit: input, then <label for> that input, in one wrapper."""
    html = str(ConsentForm())
    for field_id, label in [
        ("id_call_me", "The coordinator may call me"),
        ("id_mail_me", "The coordinator may write to me"),
    ]:
        pattern = (
            rf'<div class="checkbox"><input type="checkbox" name="\w+"[^>]* id="{field_id}"[^>]*>'
            rf'<label for="{field_id}">{label}</label></div>'
        )
        assert re.search(pattern, html), html
    for choice_id in ("id_languages_0", "id_languages_1", "id_part_0", "id_part_1"):
        assert re.search(rf'<input [^>]*id="{choice_id}"[^>]*><label for="{choice_id}">', html)


def test_radios_and_multiple_checkboxes_are_a_fieldset_with_a_legend() -> None:
    form = ConsentForm({"part": ""})
    form.is_valid()
    html = str(form)
    assert '<fieldset aria-describedby="id_part_helptext id_part_error">' in html
    assert "<legend>When?</legend>" in html
    assert "<legend>Languages</legend>" in html


def test_the_error_summary_names_the_problem_and_links_to_each_field_in_order() -> None:
    form = ConsentForm({"name": "", "part": "", "languages": []})
    form.is_valid()
    with translation.override("nl"):
        html = render("{% error_summary form %}", form=form)
    assert "Er is een probleem" in html
    assert 'tabindex="-1" autofocus' in html and 'role="alert"' in html
    targets = re.findall(r'href="#([^"]+)"', html)
    assert targets == ["id_name", "id_call_me", "id_part_0", "id_languages_0"]
    assert set(targets) <= ids_in(str(form))


def test_the_error_summary_says_there_is_a_problem_in_each_language() -> None:
    form = ConsentForm({})
    form.is_valid()
    seen = {}
    for language in ("nl", "en", "fr"):
        with translation.override(language):
            seen[language] = re.search(r"<h2[^>]*>([^<]+)</h2>", render("{% error_summary form %}", form=form)).group(1)
    assert seen == {"nl": "Er is een probleem", "en": "There is a problem", "fr": "Il y a un problème"}


def test_no_summary_for_a_form_not_sent_or_without_errors() -> None:
    assert render("{% error_summary form %}", form=ConsentForm()).strip() == ""
    good = ConsentForm({"name": "Anna", "call_me": "on", "part": "am", "languages": ["nl"]})
    assert good.is_valid()
    assert render("{% error_summary form %}", form=good).strip() == ""


def test_buttons_have_a_variant_and_refuse_an_unknown_one() -> None:
    assert 'class="button button-primary" type="submit"' in render('{% button "Save" %}')
    assert 'class="button button-danger" type="submit" name="erase" value="yes"' in render(
        '{% button "Erase" variant="danger" name="erase" value="yes" %}'
    )
    assert '<a class="button button-secondary" href="/back/">Back</a>' in render(
        '{% button "Back" variant="secondary" href="/back/" %}'
    )
    with pytest.raises(TemplateSyntaxError):
        render('{% button "Save" variant="shiny" %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% button "Save" onclick="x()" %}')


def test_a_status_tag_carries_its_word_not_only_a_colour() -> None:
    assert render('{% status_tag "Waiting" "warning" %}').strip() == (
        '<span class="tag status-tag status-tag--warning">Waiting</span>'
    )
    with pytest.raises(TemplateSyntaxError):
        render('{% status_tag "Waiting" "purple" %}')
    with pytest.raises(ValueError):
        Tag("Waiting", "purple")


def test_cards_in_a_card_list_are_list_items_and_alone_are_articles() -> None:
    listed = render('{% component "card_list" %}{% component "card" title="A" %}x{% endcomponent %}{% endcomponent %}')
    assert (
        '<ul class="card-list">' in listed
        and '<li class="card">' in listed
        and '<h2 class="card__title">A</h2>' in listed
    )
    alone = render('{% component "card" title="A" heading=3 %}x{% endcomponent %}')
    assert '<article class="card">' in alone and "<h3" in alone


def test_a_notice_says_in_words_that_it_is_an_error_or_a_warning() -> None:
    with translation.override("en"):
        html = render('{% component "notice" variant="error" title="Not sent" %}<p>Try again.</p>{% endcomponent %}')
    assert "messages--error" in html and "Error: </span>Not sent" in html
    with pytest.raises(TemplateSyntaxError):
        render('{% component "notice" variant="loud" %}x{% endcomponent %}')
    with pytest.raises(TemplateSyntaxError):
        Template('{% load components %}{% component "carousel" %}x{% endcomponent %}')


def test_a_table_names_each_value_by_its_column_for_the_phone_layout() -> None:
    table = Table(caption="Requests", columns=[Column("Request"), Column("Status"), Column("Hours", numeric=True)])
    table.add(Cell("Shopping", url="/r/1/"), Cell("", tag=Tag("Done", "success")), "1,5")
    html = render("{% table table %}", table=table)
    assert '<th scope="row" data-label="Request"><a href="/r/1/">Shopping</a></th>' in html
    assert 'data-label="Status"' in html and "status-tag--success" in html
    assert '<td data-label="Hours" class="numeric">1,5</td>' in html
    with pytest.raises(ValueError):
        table.add("only one cell")


def test_an_empty_table_says_so() -> None:
    table = Table(caption="Requests", columns=[Column("Request")], empty="No requests yet.")
    assert "No requests yet." in render("{% table table %}", table=table)


def test_the_gallery_page_shows_every_component(client: Client) -> None:
    response = client.get("/en/design-system/?errors=1")
    html = response.content.decode()
    assert response.status_code == 200
    for marker in (
        "error-summary",
        "button-primary",
        "button-secondary",
        "button-danger",
        "status-tag--success",
        "messages--warning",
        'class="card-list"',
        "data--stack",
        "empty-state",
        "disclosure",
        'class="checkbox"',
        'class="radio"',
        "<fieldset",
    ):
        assert marker in html, marker


def test_the_gallery_refuses_other_methods(client: Client) -> None:
    assert client.put("/en/design-system/").status_code == 405


def test_a_label_that_is_a_sentence_is_not_followed_by_a_stray_colon_in_the_summary() -> None:
    """The erase page's box is labelled with a sentence ("... niet terug te halen zijn."): the summary read
    "zijn.: Dit veld is verplicht."."""

    class Confirm(forms.Form):
        confirm = forms.BooleanField(label="I understand that this cannot be undone.")

    form = Confirm({})
    form.is_valid()
    html = render("{% error_summary form %}", form=form)
    assert "undone.:" not in html
    assert "I understand that this cannot be undone: " in html


def test_the_error_summary_passes_over_a_form_the_page_does_not_have() -> None:
    """A page lists every form it may show; a form the view left out is an empty string in the template. The
    helper's visit page answered 500 ("'str' object has no attribute 'is_bound'") for a visit with no form to
    log hours yet."""
    form = ConsentForm({"name": ""})
    form.is_valid()
    html = render("{% error_summary missing form %}", form=form)
    assert "There is a problem" in html or "Er is een probleem" in html
    assert render("{% error_summary missing %}").strip() == ""


def test_the_error_summary_puts_a_space_before_the_colon_in_french() -> None:
    """French typography: "Prénom : Ce champ est obligatoire.", not "Prénom: …" (the register form in French)."""
    form = ConsentForm({"name": ""})
    form.is_valid()
    with translation.override("fr"):
        html = render("{% error_summary form %}", form=form)
    with translation.override("nl"):
        dutch = render("{% error_summary form %}", form=form)
    assert re.search(r'href="#id_name">[^<]+\u00a0: ', html), html
    assert re.search(r'href="#id_name">[^<]+[^\u00a0]: ', dutch), dutch


class WhenForm(forms.Form):
    day = forms.DateField(label="Day", widget=DayInput())
    start = forms.TimeField(label="Start", widget=ClockInput())


def test_a_day_and_a_time_are_typed_as_a_belgian_writes_them_whatever_the_browsers_language() -> None:
    """The browser's own date box follows the browser's language (12/07/2026 for 7 December in an English one):
    a day is a text box in the page's format, read day first; a time is on the 24-hour clock."""
    with translation.override("en"):
        html = str(WhenForm(initial={"day": date(2026, 12, 7), "start": time(14, 30)}))
    assert 'type="text" name="day" value="07/12/2026"' in html and "(dd/mm/yyyy)" in html
    assert 'value="14:30"' in html and "(hh:mm)" in html and 'type="date"' not in html and 'type="time"' not in html
    for typed in ("7/12/2026", "07-12-2026", "2026-12-07", "7.12.2026"):
        form = WhenForm({"day": typed, "start": "14.30"})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data == {"day": date(2026, 12, 7), "start": time(14, 30)}
    assert not WhenForm({"day": "12/31/2026", "start": "2:30 PM"}).is_valid()  # never month first, never 12-hour


def test_a_card_list_renders_its_content_once_and_a_card_inside_a_card_is_an_article() -> None:
    html = render(
        '{% component "card_list" %}{% component "card" title="Outer" %}'
        '{% component "card" title="Inner" heading=3 %}x{% endcomponent %}{% endcomponent %}{% endcomponent %}'
    )
    assert html.count("Outer") == 1 and html.count("Inner") == 1
    assert '<li class="card">' in html and '<article class="card">' in html
