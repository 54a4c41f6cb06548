# The sector band's privacy limits (assessments.models.quality: BAND_PERCENT, MIN_PEERS): a band of
# fewer than 10 facilities or at percentile 0/100 tells other facilities' own energy intensities to
# the facility whose report is outside it. The validators, then the rules stored beyond them are
# brought within them (the checks enforce the limits anyway: QualityRule.band_settings), so that
# the rule's page shows what is applied and its form can be saved again.

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

MIN_PEERS = 10  # assessments.benchmark.MIN_PEERS when written
LOWEST, HIGHEST = Decimal(5), Decimal(95)


def within_limits(apps, schema_editor):
    rules = apps.get_model("assessments", "QualityRule").objects
    rules.filter(min_facilities__lt=MIN_PEERS).update(min_facilities=MIN_PEERS)
    rules.filter(low_percentile__lt=LOWEST).update(low_percentile=LOWEST)
    rules.filter(low_percentile__gt=HIGHEST).update(low_percentile=HIGHEST)
    rules.filter(high_percentile__gt=HIGHEST).update(high_percentile=HIGHEST)
    rules.filter(high_percentile__lt=LOWEST).update(high_percentile=LOWEST)
    # Both ends clamped to the same limit (97/99 -> 95/95): a band of no width, which the rule's
    # form refuses (the upper must exceed the lower); the defaults instead.
    for rule in rules.filter(low_percentile__isnull=False, high_percentile__isnull=False):
        if rule.low_percentile >= rule.high_percentile:
            rule.low_percentile, rule.high_percentile = LOWEST, HIGHEST
            rule.save(update_fields=["low_percentile", "high_percentile"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0024_option_saving_not_negative'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalqualityrule',
            name='high_percentile',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('5')), django.core.validators.MaxValueValidator(Decimal('95'))], verbose_name='bách phân vị trên (%)'),
        ),
        migrations.AlterField(
            model_name='historicalqualityrule',
            name='low_percentile',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('5')), django.core.validators.MaxValueValidator(Decimal('95'))], verbose_name='bách phân vị dưới (%)'),
        ),
        migrations.AlterField(
            model_name='historicalqualityrule',
            name='min_facilities',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(10)], verbose_name='số cơ sở tối thiểu để so sánh'),
        ),
        migrations.AlterField(
            model_name='qualityrule',
            name='high_percentile',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('5')), django.core.validators.MaxValueValidator(Decimal('95'))], verbose_name='bách phân vị trên (%)'),
        ),
        migrations.AlterField(
            model_name='qualityrule',
            name='low_percentile',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('5')), django.core.validators.MaxValueValidator(Decimal('95'))], verbose_name='bách phân vị dưới (%)'),
        ),
        migrations.AlterField(
            model_name='qualityrule',
            name='min_facilities',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(10)], verbose_name='số cơ sở tối thiểu để so sánh'),
        ),
        migrations.RunPython(within_limits, migrations.RunPython.noop),
    ]

