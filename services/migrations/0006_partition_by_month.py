"""Visits partitioned by local month on PostgreSQL (eldercare/partitions.py); SQLite keeps one table."""

from django.db import migrations

from eldercare.partitions import partition, unpartition

TABLES = ('services_visit',)


def forwards(apps, schema_editor):
    for table in TABLES:
        partition(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unpartition(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ('services', '0005_followup_visit_without_db_constraint'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
