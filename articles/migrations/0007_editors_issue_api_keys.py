"""Editors issue, see and revoke the API keys of consuming apps (djangorestframework-api-key).

Issuing is add_apikey (the key is shown once, on creation); revoking is change_apikey (a
revoked key cannot be restored). Keys are not deleted: a revoked key stays as a record.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_apikey", "change_apikey", "view_apikey"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("rest_framework_api_key")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="rest_framework_api_key", codename__in=CODENAMES
    )
    if permissions.count() != len(CODENAMES):
        raise RuntimeError(f"API key permissions missing: {CODENAMES}")
    Group.objects.get(name="Editors").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="rest_framework_api_key", codename__in=CODENAMES
    )
    Group.objects.get(name="Editors").permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_cjk_bigrams_and_sqlite_fts"),
        ("rest_framework_api_key", "0005_auto_20220110_1102"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
