import django.db.models.deletion
from django.db import migrations, models


def copy_successors(apps, schema_editor):
    """Old commune → its 2025 successor becomes a many-to-many link; facilities get the 2025
    ward their old commune became (load_admin_units adds the other parts of split communes)."""
    AdminUnit = apps.get_model("facilities", "AdminUnit")
    Facility = apps.get_model("facilities", "Facility")
    Link = AdminUnit.successors.through
    old = AdminUnit.objects.filter(successor__isnull=False).values_list("pk", "successor_id")
    Link.objects.bulk_create(
        [Link(from_adminunit_id=a, to_adminunit_id=b) for a, b in old], batch_size=1000
    )
    successor_of = dict(old)
    for facility in Facility.objects.filter(ward__isnull=True, commune__isnull=False).only(
        "pk", "commune_id"
    ):
        ward = successor_of.get(facility.commune_id)
        if ward:
            Facility.objects.filter(pk=facility.pk).update(ward_id=ward)


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0007_facility_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='adminunit',
            name='successors',
            field=models.ManyToManyField(blank=True, related_name='predecessors', to='facilities.adminunit', verbose_name='đơn vị mới (từ 1/7/2025)'),
        ),
        migrations.AddField(
            model_name='facility',
            name='ward',
            field=models.ForeignKey(blank=True, limit_choices_to={'level': 'commune', 'scheme': '2025'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='facilities_2025', to='facilities.adminunit', verbose_name='xã/phường (từ 1/7/2025)'),
        ),
        migrations.AddField(
            model_name='historicalfacility',
            name='ward',
            field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'commune', 'scheme': '2025'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='facilities.adminunit', verbose_name='xã/phường (từ 1/7/2025)'),
        ),
        migrations.RunPython(copy_successors, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='adminunit',
            name='successor',
        ),
        migrations.AlterField(
            model_name='facility',
            name='commune',
            field=models.ForeignKey(blank=True, limit_choices_to={'level': 'commune', 'scheme': 'pre2025'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='facilities', to='facilities.adminunit', verbose_name='xã/phường (trước 1/7/2025)'),
        ),
        migrations.AlterField(
            model_name='historicalfacility',
            name='commune',
            field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'commune', 'scheme': 'pre2025'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='facilities.adminunit', verbose_name='xã/phường (trước 1/7/2025)'),
        ),
        migrations.AddConstraint(
            model_name='facility',
            constraint=models.CheckConstraint(condition=models.Q(('commune__isnull', False), ('ward__isnull', False), _connector='OR'), name='facility_has_old_or_new_commune'),
        ),
    ]
