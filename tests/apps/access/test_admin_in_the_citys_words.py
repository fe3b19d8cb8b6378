"""The admin speaks the city's language and words: grouped by capability under each capability's title, without
what a city administrator never needs (groups, outside services' app records and tokens, the worker's queue), and
without Django's or allauth's English ("Social applications", "Task results", "User sessions", "Django")."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.test import Client
from django.utils import translation

from apps.core.capabilities import capabilities

GROUPS = {
    "nl": ["Wijken en locaties", "Mensen en rollen", "Organisaties", "Hulp zoeken", "Hulp en diensten", "Buurtleven"],
    "en": ["Districts and places", "People and roles", "Organisations", "Care matching", "Services and referrals",
           "Community life"],
    "fr": ["Quartiers et lieux", "Personnes et rôles", "Organisations", "Recherche d’aide", "Services et orientations",
           "Vie de quartier"],
}
PEOPLE_MODELS = {
    "nl": ["Aanmeldsessies", "Accounts", "E-mailadressen", "Personen", "Tweede factoren"],
    "en": ["Accounts", "Email addresses", "Persons", "Second factors", "Sign-in sessions"],
}
ENGLISH_LEFT_OVER = re.compile(
    r"Social (applications|accounts|application tokens)|Task results|Tasks database|User sessions|Authenticators"
    r"|Django|\bGroups\b|\bMFA\b",
    re.I,
)
HIDDEN = [
    "/{lang}/admin/auth/group/",
    "/{lang}/admin/socialaccount/socialapp/",
    "/{lang}/admin/socialaccount/socialtoken/",
    "/{lang}/admin/django_tasks_database/dbtaskresult/",
]


def text(html: str) -> str:
    """What a person reads: the page without its tags, scripts and styles."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def captions(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<caption>(.*?)</caption>", html, re.S)]


def group_models(html: str, app_label: str) -> list[str]:
    block = re.search(rf'<div class="app-{app_label} module.*?</table>', html, re.S)
    assert block is not None, app_label
    return [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', block.group(0), re.S)
    ]


@pytest.mark.parametrize("language", GROUPS)
def test_the_admin_index_is_grouped_by_capability_in_the_citys_words(
    client_as: Callable[[str], Client], language: str
) -> None:
    client = client_as("administrator")
    response = client.get(f"/{language}/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('id="content"') :]
    assert captions(main) == GROUPS[language]
    if language in PEOPLE_MODELS:
        assert group_models(main, "people") == PEOPLE_MODELS[language]
    found = ENGLISH_LEFT_OVER.search(text(html if language != "en" else main))
    assert found is None, found
    assert {"nl": "City of People: beheer", "en": "City of People: administration",
            "fr": "City of People : administration"}[language] in html  # fmt: skip
    for path in HIDDEN:
        assert client.get(path.format(lang=language)).status_code == 404, path


def test_every_registered_model_belongs_to_a_capability() -> None:
    """Nothing lands under "Other": each model the admin shows is a capability's own or declared by one."""
    rows = {f"{model._meta.app_label}.{model.__name__}".lower() for model in admin.site._registry}
    apps = {declared.app for declared in capabilities()}
    claimed = {item.model.lower() for declared in capabilities() for item in getattr(declared, "admin_models", ())}
    assert {row for row in rows if row.split(".")[0] not in apps} <= claimed
    for item in claimed:
        django_apps.get_model(item)  # each declared model exists


def test_a_model_no_capability_claims_is_listed_under_other() -> None:
    from apps.access.admin_site import admin_groups

    app_dict = {
        "places": {"app_url": "/nl/admin/places/", "models": [{"object_name": "District", "name": "Wijken"}]},
        "thirdparty": {"app_url": "/nl/admin/thirdparty/", "models": [{"object_name": "Thing", "name": "Things"}]},
    }
    with translation.override("nl"):
        groups = admin_groups(app_dict)
        assert [str(group["name"]) for group in groups] == ["Wijken en locaties", "Overige"]
    assert [row["name"] for row in groups[1]["models"]] == ["Things"]


def test_a_persons_admin_page_names_the_account_in_dutch(client_as: Callable[[str], Client]) -> None:
    """The person's page in the admin said "User:" in English for the account tied to the person (the model's field
    has no Dutch name); the account stays read-only there."""
    client = client_as("administrator")
    for path in ("/nl/admin/people/person/add/", "/nl/admin/people/person/1/change/"):
        labels = [
            re.sub(r"<[^>]+>", "", label).strip()
            for label in re.findall(r"<label[^>]*>(.*?)</label>", client.get(path).content.decode(), re.S)
        ]
        assert "User:" not in labels, path
        assert "Account:" in labels, path
    html = client.get("/nl/admin/people/person/add/").content.decode()
    assert 'name="user"' not in html
