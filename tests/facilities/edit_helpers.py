"""Posting the facility edit form (facilities:edit) with a facility's stored values, some
overridden."""

from django.urls import reverse


def edit_payload(facility, **overrides) -> dict:
    data = {
        "name": facility.name,
        "tax_code": facility.tax_code,
        "address": facility.address,
        "commune": facility.commune_id,
        "industry": facility.industry_id,
        "ownership": facility.ownership,
        "established_year": facility.established_year or "",
        "employees": facility.employees or "",
        "status": facility.status,
        "closed_year": facility.closed_year or "",
        "version": facility.version,
    }
    data.update(overrides)
    return data


def post_edit(client, facility, **overrides):
    return client.post(
        reverse("facilities:edit", args=[facility.pk]), edit_payload(facility, **overrides)
    )
