"""The registry's export log becomes part of the one audit log; PostgreSQL guards the log.

Every earlier export entry is copied as an `export` (or, for a payment roll, a
`roster_download`) access. On PostgreSQL a trigger then refuses any UPDATE of the log and any
DELETE except the retention job's (which sets `audit.purge` for its transaction and deletes
only entries older than six months), so not even a bug in the portal can rewrite it.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the personal-data audit log cannot be changed';
    END IF;
    IF coalesce(current_setting('audit.purge', true), '') <> 'on'
       OR OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'the personal-data audit log keeps every entry for six months';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_guard BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_guard();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS audit_accesslog_guard ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_guard();
"""


def copy_export_log(apps, schema_editor):
    ExportLog = apps.get_model("elders", "ExportLog")
    AccessLog = apps.get_model("audit", "AccessLog")
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                at=entry.at,
                user_id=entry.user_id,
                action="roster_download" if entry.what.startswith("payment roll") else "export",
                what=f"{entry.what} ({entry.file_format})"[:200],
                rows=entry.rows,
                unmasked=entry.unmasked,
                scope=entry.scope,
            )
            for entry in ExportLog.objects.iterator()
        ],
        batch_size=1000,
    )


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("elders", "0002_remove_elder_elder_residence_status_idx_and_more"),
    ]

    operations = [
        migrations.RunPython(copy_export_log, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
