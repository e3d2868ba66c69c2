"""Monthly figures and the frozen monthly rosters partitioned by period on PostgreSQL
(eldercare/partitions.py); SQLite keeps plain tables."""

from django.db import migrations

from eldercare.partitions import partition, unpartition

TABLES = ('reports_monthlystat', 'reports_visitroster')


def forwards(apps, schema_editor):
    for table in TABLES:
        partition(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unpartition(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ('reports', '0003_delete_target'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
