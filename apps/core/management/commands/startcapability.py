"""``cityofpeople manage startcapability NAME``: start a new capability from the project's skeleton.

It writes ``apps/NAME/`` and ``tests/apps/NAME/`` from ``apps/core/capability_template/`` (a page, its
rule, its menu entry and home panel, its own translations in nl/en/fr, its rows of the access table and
its tests), so that the new app passes the access table, axe and the translation tests from its first
commit.  What is left is one line: ``"apps.NAME"`` in ``INSTALLED_APPS``.  See ``docs/architecture.md``.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

TEMPLATE = Path(__file__).resolve().parents[2] / "capability_template"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


def placeholders(name: str, titles: dict[str, str]) -> dict[str, str]:
    return {
        "{{ app_name }}": name,
        "{{ camel_case_app_name }}": "".join(part.capitalize() for part in name.split("_")),
        "{{ title }}": titles["en"],
        "{{ title_nl }}": titles["nl"],
        "{{ title_fr }}": titles["fr"],
    }


def render(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def check_title(title: str, option: str) -> str:
    title = title.strip()
    if not title or len(title) > 80 or any(ch in title for ch in '"\\{}\n\r\x00'):
        raise CommandError(f"{option}: give a name of 1 to 80 characters without quotes, braces or backslashes.")
    return title


class Command(BaseCommand):
    help = "Start a new capability (apps/NAME and tests/apps/NAME) from the project's skeleton."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the app's label: lower case letters, digits and _, e.g. services")
        parser.add_argument("--title", required=True, help="its name in English, e.g. 'Service directory'")
        parser.add_argument("--title-nl", required=True, help="its name in Dutch, e.g. 'Sociale kaart'")
        parser.add_argument("--title-fr", required=True, help="its name in French, e.g. 'Répertoire des services'")
        parser.add_argument("--root", default=str(settings.BASE_DIR), help="the project folder (default: this one)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if not NAME.fullmatch(name) or keyword.iskeyword(name):  # fullmatch: "$" would let "name\n" through
            raise CommandError(f"'{name}': use 2 to 30 lower case letters, digits and _, starting with a letter.")
        if any(config.label == name for config in apps.get_app_configs()):
            raise CommandError(f"'{name}' is already the label of an installed app.")
        root = Path(options["root"]).resolve()
        targets = {"app": root / "apps" / name, "tests": root / "tests" / "apps" / name}
        for target in targets.values():
            if target.exists():
                raise CommandError(f"{target} exists already: nothing was written.")
        titles = {
            "en": check_title(options["title"], "--title"),
            "nl": check_title(options["title_nl"], "--title-nl"),
            "fr": check_title(options["title_fr"], "--title-fr"),
        }
        values = placeholders(name, titles)
        written = [path for part, target in targets.items() for path in self.copy(TEMPLATE / part, target, values)]
        for po_path in written:
            if po_path.suffix == ".po":
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Wrote {len(written)} files in {targets['app']} and {targets['tests']}.")
        self.stdout.write(
            f'One line is left: add "apps.{name}" to INSTALLED_APPS in cityofpeople/settings/base.py. '
            "Then read docs/architecture.md, 'Adding a capability'."
        )

    def copy(self, source: Path, target: Path, values: dict[str, str]) -> list[Path]:
        written = []
        for path in sorted(source.rglob("*.tpl")):
            relative = path.relative_to(source).with_suffix("")
            parts = (part.replace("app_name", values["{{ app_name }}"]) for part in relative.parts)
            destination = target / Path(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(render(path.read_text(encoding="utf-8"), values), encoding="utf-8")
            written.append(destination)
        return written
