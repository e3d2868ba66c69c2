
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('elders', '0002_remove_elder_elder_residence_status_idx_and_more'),
        ('services', '0002_caregiver_catalogue_catalogueitem_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='VisitStatus',
            fields=[
                ('elder', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='visit_status', serialize=False, to='elders.elder', verbose_name='elder')),
                ('in_target_group', models.BooleanField(default=False, verbose_name='in the visit target group')),
                ('last_visit_at', models.DateTimeField(blank=True, null=True, verbose_name='last visit')),
                ('last_outcome', models.CharField(blank=True, max_length=10, verbose_name='outcome of the last visit')),
                ('last_counted_at', models.DateTimeField(blank=True, null=True, verbose_name='last counted visit')),
            ],
            options={
                'verbose_name': 'visit status',
                'verbose_name_plural': 'visit statuses',
                'indexes': [models.Index(condition=models.Q(('in_target_group', True)), fields=['last_visit_at', 'elder'], name='visitstatus_due_idx')],
            },
        ),
    ]
