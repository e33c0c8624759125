"""Demo accounts for the desk's roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

# username -> role (a group name, or "superuser")
DEMO_ACCOUNTS: dict[str, str] = {
    "editor": "Editors",
    "moderator": "Moderators",
    "admin": "superuser",
}


@transaction.atomic
def ensure_demo_accounts(*, password: str) -> list[AbstractBaseUser]:
    """Create or reset the demo accounts, each in its role. Running it again is harmless."""
    User = get_user_model()
    users: list[AbstractBaseUser] = []
    for username, role in DEMO_ACCOUNTS.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@newsroom.invalid"}
        )
        user.is_staff = True
        user.is_superuser = role == "superuser"
        user.set_password(password)
        user.save()
        if role != "superuser":
            user.groups.set([Group.objects.get(name=role)])
        users.append(user)
    return users
