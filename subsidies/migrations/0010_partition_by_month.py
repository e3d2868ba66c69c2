"""Payments partitioned by the month paid for on PostgreSQL (eldercare/partitions.py); SQLite keeps one table."""

from django.db import migrations

from eldercare.partitions import partition, unpartition

TABLES = ('subsidies_payment',)


def forwards(apps, schema_editor):
    for table in TABLES:
        partition(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unpartition(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ('subsidies', '0009_scheme_source_documents'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
