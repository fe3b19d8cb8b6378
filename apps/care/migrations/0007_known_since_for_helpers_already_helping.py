"""Helpers who already hold or finished a visit when the check of new helpers arrived are known.

``HelperOffer.known_since`` (0005) came without a value for existing offers: a helper with a visit planned
but none done yet would have become "new", and their next "I can help" would wait for a coordinator's
check.  A coordinator (or the helper's own accepted proposal) already put them in touch with a person.
"""

from django.db import migrations
from django.utils import timezone


def know_helpers_already_helping(apps, schema_editor):
    HelperOffer = apps.get_model("care", "HelperOffer")
    Match = apps.get_model("care", "Match")
    helping = Match.objects.filter(status__in=["accepted", "planned", "done"], awaiting_check=False)
    HelperOffer.objects.filter(known_since__isnull=True, pk__in=helping.values("helper_id")).update(
        known_since=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0006_match_event_at"),
    ]

    operations = [
        migrations.RunPython(know_helpers_already_helping, migrations.RunPython.noop, elidable=False),
    ]
