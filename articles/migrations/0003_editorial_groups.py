"""Create the desk's roles as groups: Editors, Moderators and Read-only.

Editors curate articles, coverage links, corrections and the negotiation's record; they do
not moderate. Moderators work reader comments; they see articles but cannot change them.
Read-only may view the reporting and the record, not comments.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORIAL_MODELS = ["article", "roundlink", "meetinglink", "officiallink", "measurelink", "correction"]
RECORD_MODELS = ["negotiation", "round", "meeting", "official", "officialalias", "tariffmeasure"]

GROUPS = {
    "Editors": (
        [f"{verb}_{model}" for model in EDITORIAL_MODELS for verb in ("add", "change", "view")]
        + [f"delete_{model}" for model in ["roundlink", "meetinglink", "officiallink", "measurelink"]]
        + [f"{verb}_{model}" for model in RECORD_MODELS for verb in ("add", "change", "view")]
        + ["add_source", "change_source", "view_source", "view_rawdocument", "add_rawdocument"]
        + ["publish_article", "confirm_coverage"]
    ),
    "Moderators": [
        "view_comment",
        "change_comment",
        "moderate_comment",
        "view_moderationdecision",
        "view_article",
    ],
    "Read-only": (
        [f"view_{model}" for model in EDITORIAL_MODELS + RECORD_MODELS]
        + ["view_source", "view_rawdocument"]
    ),
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_label in ("articles", "negotiations"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["articles", "negotiations"], codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_search_vector_postgres"),
        ("negotiations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
