"""Compile the gettext catalogues (.po → .mo) without needing GNU gettext installed.

Django's own ``compilemessages`` calls ``msgfmt``; a fresh machine may not
have it, and the run command must work there.  The project's catalogues are in
``locale/``; a capability may keep its own in ``apps/<app>/locale/`` (Django
reads those of every installed app), so that adding one touches only its folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_folders() -> list[Path]:
    """``LOCALE_PATHS``, then the ``locale/`` folder of every installed app of this project."""
    base = Path(settings.BASE_DIR).resolve() / "apps"
    folders = [Path(folder) for folder in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "locale"
        if folder.is_dir() and folder.is_relative_to(base):
            folders.append(folder)
    return folders


def catalogues() -> list[Path]:
    return sorted(path for folder in catalogue_folders() for path in folder.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile every .po catalogue of the project (locale/ and each app's locale/) into a .mo file."

    def handle(self, *args: Any, **options: Any) -> None:
        found = catalogues()
        for po_path in found:
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Compiled {len(found)} translation catalogues.")
