"""Field helpers shared by the models of this app."""

from django.core.validators import MinValueValidator
from django.db import models

NON_NEGATIVE = [MinValueValidator(0)]


def amount_field(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=18,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        **kwargs,
    )
