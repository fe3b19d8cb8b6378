"""Pages: no server error from text no database stores (issue 12, part 5).

A NUL character in a header, a cookie, a path or a query string is refused by the first middleware
(``apps.core.middleware.InputGuardMiddleware``) before the session is read; a NUL in a form field is the
form's own error (every field of every form of the apps is checked below).  Run on SQLite and PostgreSQL:
PostgreSQL is the one that refuses NUL, so without the guard these are server errors there.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

import apps
from apps.core.inputs import find_unstorable, unstorable_text
from apps.people.models import Person

NUL = "a\x00b"


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in pkgutil.iter_modules(apps.__path__):
        for module_info in pkgutil.iter_modules([f"{apps.__path__[0]}/{app.name}"]):
            if not module_info.name.startswith("forms"):
                continue
            module = importlib.import_module(f"apps.{app.name}.{module_info.name}")
            for name, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = value
    return [found[key] for key in sorted(found)]


FORMS = _form_classes()


def test_the_forms_are_found() -> None:
    assert len(FORMS) >= 25


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=[f"{f.__module__}.{f.__name__}" for f in FORMS])
def test_every_form_field_refuses_a_nul_character(form_class: type[forms.BaseForm], demo_city: None) -> None:
    """Each field either refuses the value as a form error or cleans it into something storable."""
    wrong = []
    for name, field in form_class.base_fields.items():
        value: Any = [NUL] if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else NUL
        try:
            with transaction.atomic():
                cleaned = field.clean(value)
        except ValidationError:
            continue
        except Exception as error:  # anything else would be a server error on the page
            wrong.append(f"{name}: {type(error).__name__}: {error}")
            continue
        if find_unstorable(cleaned) is not None:
            wrong.append(f"{name}: cleaned into {cleaned!r}")
    assert wrong == []


def test_a_browser_cannot_send_a_lone_surrogate_in_a_form() -> None:
    """Form data that is not UTF-8 (a surrogate encoded as UTF-8 would be) becomes the replacement character."""
    from django.http import QueryDict

    data = QueryDict("name=a%ED%A0%80b")
    assert unstorable_text(data["name"]) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("coordinator", "/nl/persons/?q=%00"),
        ("coordinator", "/nl/persons/?q=a%00b&x=1"),
        ("coordinator", "/nl/persons/?%00=1"),
        ("anonymous", "/nl/districts/address/?address=%00"),
        ("anonymous", "/nl/districts/?district=%00"),
        ("coordinator", "/nl/coordinate/worklist/new/?page=%00"),
        ("auditor", "/nl/audit/?purpose=%00"),
        ("administrator", "/nl/admin/people/person/?q=%00"),
    ],
)
def test_a_nul_in_a_query_string_is_refused_with_a_clear_page(
    role: str, url: str, client_as: Callable[[str], Client]
) -> None:
    client = client_as(role)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    assert "teken dat niet gebruikt kan worden" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/nl/coordinate/worklist/new/?page=NaN", "/nl/coordinate/worklist/new/?page=1e400",
                                 "/nl/coordinate/worklist/new/?page=99999999999999999999"])  # fmt: skip
def test_page_numbers_that_are_no_numbers_show_a_page(url: str, client_as: Callable[[str], Client]) -> None:
    response = client_as("coordinator").get(url)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/nl/districts/places/a%00b/", "/nl/persons/%00/", "/nl/coordinate/worklist/%00/", "/nl/%00", "/api/%00"]
)
def test_a_nul_in_a_path_names_nothing(url: str, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": "Mozilla/5.0\x00"},  # stored in the list of one's sessions
        {"HTTP_COOKIE": "sessionid=abc\x00def"},  # looked up in the session table
        {"HTTP_COOKIE": "csrftoken=\x00"},
        {"HTTP_ACCEPT_LANGUAGE": "nl\x00"},
        {"HTTP_X_FORWARDED_FOR": "10.0.0.1\x00"},
    ],
)
def test_a_nul_in_a_header_is_refused_before_the_session_is_read(
    headers: dict[str, str], client_as: Callable[[str], Client]
) -> None:
    for role in ("anonymous", "resident"):
        client = client_as(role)
        client.raise_request_exception = False
        for url in ("/nl/", "/nl/me/", "/api/v1/me"):
            response = client.get(url, **headers)  # type: ignore[arg-type]
            assert response.status_code == 400, (role, url, response.status_code)
            if url.startswith("/api/"):
                assert list(response.json()) == ["detail"] and "(NUL)" in response.json()["detail"]


@pytest.mark.django_db
def test_a_nul_in_a_sign_in_or_sign_up_form_is_a_form_error() -> None:
    client = Client(raise_request_exception=False)
    response = client.post(reverse("account_login"), {"login": NUL, "password": "x\x00"})
    assert response.status_code == 200
    response = client.post(
        reverse("account_signup"),
        {"email": "a\x00b@example.org", "password1": "Zeer-lang-wachtwoord-1", "password2": "x"},
    )
    assert response.status_code == 200
    response = client.post(reverse("account_reset_password"), {"email": "a\x00@example.org"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_nul_in_the_profile_form_is_a_form_error_and_changes_nothing(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("resident")
    client.raise_request_exception = False
    before = Person.objects.values().get(pk=person_of("resident").pk)
    fields = {"first_name": "Rosa", "last_name": "Van Acker", "address": "Sint-Pietersnieuwstraat 33",
              "phone": "", "email": "", "contact_preference": "phone", "languages": ["nl"]}  # fmt: skip
    for name in ("first_name", "last_name", "address", "phone", "email"):
        response = client.post(reverse("people:my_profile"), {**fields, name: NUL})
        assert response.status_code == 200, (name, response.status_code)
        assert "Null characters are not allowed" in response.content.decode() or response.context["form"].errors
    assert Person.objects.values().get(pk=person_of("resident").pk) == before


@pytest.mark.django_db
def test_a_nul_in_the_intake_form_is_a_form_error_and_registers_nobody(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    client.raise_request_exception = False
    count = Person.objects.count()
    for name in ("first_name", "last_name", "address", "phone", "email", "support_needs"):
        data = {"first_name": "Jan", "last_name": "Peeters", "address": "Sint-Pietersnieuwstraat 33",
                "contact_preference": "phone", "support_needs": "Boodschappen", name: NUL}  # fmt: skip
        response = client.post(reverse("people:person_register"), data)
        assert response.status_code == 200, (name, response.status_code)
    assert Person.objects.count() == count


# --- the console: a district file is text from outside too ---------------------------------------------------


def _district_file(tmp_path: Any, name: str, coordinate: str = "3.7") -> Any:
    path = tmp_path / "districts.geojson"
    ring = f"[[{coordinate}, 51.0], [3.8, 51.0], [3.8, 51.1], [3.7, 51.1], [{coordinate}, 51.0]]"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        f'"properties": {{"wijknr": 1, "wijk": "{name}", "naam": "Gent"}}, '
        f'"geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}}]}}'
    )
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "coordinate"), [("Wijk\\u0000", "3.7"), ("Wijk \\ud800", "3.7"), ("Wijk", "NaN")])
def test_a_district_file_with_unstorable_values_is_refused_and_loads_nothing(
    tmp_path: Any, name: str, coordinate: str
) -> None:
    from django.core.management import CommandError, call_command

    from apps.places.models import District

    before = list(District.objects.values_list("number", "name").order_by("number"))
    with pytest.raises(CommandError) as refused:
        call_command("load_districts", str(_district_file(tmp_path, name, coordinate)), verbosity=0)
    assert "districts.geojson" in str(refused.value)
    assert list(District.objects.values_list("number", "name").order_by("number")) == before
