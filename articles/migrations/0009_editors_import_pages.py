"""Editors import pages from the admin: they start import jobs, follow them and retry them.
Read-only may look at them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["add_importjob", "change_importjob", "view_importjob"],
    "Read-only": ["view_importjob"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        perms = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        if perms.count() != len(codenames):
            raise RuntimeError(f"Permissions missing for group {name}: {codenames}")
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_import_jobs")]

    operations = [migrations.RunPython(grant, revoke)]
