from django.db import migrations, models
import django.utils.timezone

# On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE on the access log.
# The retention purge sets `cityofpeople.access_log_purge` to 'on' for its own transaction only;
# the test suite sets `cityofpeople.allow_truncate` on its throw-away database so it can be emptied.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cityofpeople.access_log_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- emptying the whole table is for throw-away test databases only (they set this for the database)
    IF TG_OP = 'TRUNCATE' AND current_setting('cityofpeople.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON access_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON access_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS access_log_no_truncate ON access_accesslogentry;
DROP TRIGGER IF EXISTS access_log_append_only ON access_accesslogentry;
DROP FUNCTION IF EXISTS access_log_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AccessLogEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when (UTC)")),
                ("actor_user_id", models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="account")),
                ("actor_person_id", models.BigIntegerField(blank=True, null=True, verbose_name="person acting")),
                ("actor_role", models.CharField(max_length=40, verbose_name="role")),
                ("subject_person_id", models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="whose data")),
                ("record_type", models.CharField(max_length=60, verbose_name="record type")),
                ("record_id", models.CharField(max_length=60, verbose_name="record")),
                ("action", models.CharField(choices=[("read", "read"), ("change", "change"), ("export", "export"), ("erase", "erase")], max_length=10, verbose_name="action")),
                ("purpose", models.CharField(max_length=40, verbose_name="purpose")),
                ("outcome", models.CharField(choices=[("allowed", "allowed"), ("denied", "denied")], max_length=10, verbose_name="outcome")),
                ("via", models.CharField(max_length=200, verbose_name="page or endpoint")),
            ],
            options={
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["subject_person_id", "-at"], name="access_acce_subject_a100de_idx")],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
