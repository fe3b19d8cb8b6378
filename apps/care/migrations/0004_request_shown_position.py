"""The position helpers are shown of a request (apps/care/position.py), filled for existing requests.

One person's requests at the very same coordinates get one shown position between them, drawn from a
secure random source, so that they never give several independent rings around the house; another
person's request there gets its own (the same one would confirm a guessed address).
"""

import secrets

from django.conf import settings
from django.db import migrations, models

from domain.geo.shown import shown_position


def fill_shown_positions(apps, schema_editor):
    CareRequest = apps.get_model("care", "CareRequest")
    rng = secrets.SystemRandom()
    bounds = {
        "min_m": float(getattr(settings, "CARE_SHOWN_OFFSET_MIN_M", 250)),
        "max_m": float(getattr(settings, "CARE_SHOWN_OFFSET_MAX_M", 500)),
        "grid_m": float(getattr(settings, "CARE_SHOWN_GRID_M", 100)),
    }
    per_house: dict[tuple[int, float, float], tuple[float, float]] = {}
    batch = []
    for row in CareRequest.objects.only("pk", "person_id", "lat", "lon").order_by("pk").iterator(chunk_size=2000):
        house = (row.person_id, row.lat, row.lon)
        if house not in per_house:
            per_house[house] = shown_position(row.lat, row.lon, rng=rng, **bounds)
        row.shown_lat, row.shown_lon = per_house[house]
        batch.append(row)
        if len(batch) >= 2000:
            CareRequest.objects.bulk_update(batch, ["shown_lat", "shown_lon"])
            batch = []
    if batch:
        CareRequest.objects.bulk_update(batch, ["shown_lat", "shown_lon"])


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_care_request_status_category_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="carerequest",
            name="shown_lat",
            field=models.FloatField(null=True, verbose_name="latitude shown to helpers"),
        ),
        migrations.AddField(
            model_name="carerequest",
            name="shown_lon",
            field=models.FloatField(null=True, verbose_name="longitude shown to helpers"),
        ),
        migrations.RunPython(fill_shown_positions, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="carerequest",
            name="shown_lat",
            field=models.FloatField(verbose_name="latitude shown to helpers"),
        ),
        migrations.AlterField(
            model_name="carerequest",
            name="shown_lon",
            field=models.FloatField(verbose_name="longitude shown to helpers"),
        ),
    ]
