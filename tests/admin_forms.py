"""What the admin's user change form posts, for tests that change an account there."""

from django.utils import timezone


def user_change_data(user, **changes) -> dict:
    """The admin change form of `user` as loaded, with `changes`; a change to None leaves the
    field out (an unticked box)."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": joined.strftime("%H:%M:%S"),
        "role": user.role,
        "full_name": user.full_name,
        "phone": "",
        "facilities": [f.pk for f in user.facilities.all()],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
