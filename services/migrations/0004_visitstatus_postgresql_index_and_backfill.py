from django.db import migrations


def nulls_first_on_postgresql(apps, schema_editor):
    """The due list orders by last visit with never-visited elders first: PostgreSQL sorts NULLs
    last unless the index says otherwise (SQLite has them first and no NULLS FIRST in indexes)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX visitstatus_due_idx")
        schema_editor.execute(
            "CREATE INDEX visitstatus_due_idx ON services_visitstatus "
            "(last_visit_at ASC NULLS FIRST, elder_id) WHERE in_target_group"
        )


def backfill(apps, schema_editor):
    """Every existing elder's status from the registry and the visits (the nightly job's code)."""
    from services.services import refresh_visit_status

    if apps.get_model("elders", "Elder").objects.exists():
        refresh_visit_status()


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0003_visitstatus"),
        # The backfill evaluates the target group: ability grades and the pack sections it reads.
        ("assessments", "0001_initial"),
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(nulls_first_on_postgresql, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
