"""Authentication: Django's model backend, reading a user's permissions in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, except that a user's permissions are read in one query.

    Every admin page asks what the user may do; Django's backend answers with two queries (the
    user's own permissions, then their groups'), where one UNION does. The answer is cached on
    the user for the request as Django caches it (`_perm_cache`), so every check reads the same
    set; logging in, and everything else, is Django's."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            fields = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                perms = Permission.objects.values_list(*fields).order_by()
            else:
                groups = get_user_model()._meta.get_field("groups").related_query_name()
                own = Permission.objects.filter(user=user_obj).values_list(*fields).order_by()
                grouped = Permission.objects.filter(**{f"group__{groups}": user_obj})
                perms = own.union(grouped.values_list(*fields).order_by())
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in perms}
        return user_obj._perm_cache
