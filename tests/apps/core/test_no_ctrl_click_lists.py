"""No form on the site asks a person to hold Ctrl to choose several things (issue 14: a coordinator mid-call
chose preferred helpers in a list that needed Ctrl-click). Several choices are boxes to tick."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms
from django.apps import apps


def project_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        package = importlib.import_module(config.name)
        for module_info in pkgutil.iter_modules(package.__path__):
            if not module_info.name.startswith("forms"):
                continue
            module = importlib.import_module(f"{config.name}.{module_info.name}")
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_every_choice_of_several_is_a_list_of_boxes() -> None:
    classes = project_forms()
    assert len(classes) > 10, "the project's forms were found"
    lists = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in classes
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.SelectMultiple) and not isinstance(field.widget, forms.CheckboxSelectMultiple)
    ]
    assert lists == []
