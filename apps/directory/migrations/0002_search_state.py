"""The search's token.  Its triggers are installed after every migrate and flush (``search_triggers.py``)."""

from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from apps.directory.search_triggers import install

    install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchState",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=40)),
            ],
            options={"verbose_name": "search state"},
        ),
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
