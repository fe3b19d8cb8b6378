"""Compile the gettext catalogues (.po → .mo) without needing GNU gettext installed.

Django's own ``compilemessages`` calls ``msgfmt``; a fresh machine may not
have it, and the run command must work there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po file of the project into a .mo file."

    def handle(self, *args: Any, **options: Any) -> None:
        catalogues = sorted(Path(p) for base in settings.LOCALE_PATHS for p in Path(base).glob("*/LC_MESSAGES/*.po"))
        for po_path in catalogues:
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Compiled {len(catalogues)} translation catalogues.")
