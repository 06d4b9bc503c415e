from django.db import migrations

# Model permissions of each role. Who sees which ticket is decided by
# tickets.selectors.visible_tickets; these decide what a role may do at all.
ROLE_PERMISSIONS = {
    "desk": [
        ("tickets", "view_ticket"), ("tickets", "add_ticket"), ("tickets", "change_ticket"),
        ("tickets", "view_ticketevent"), ("tickets", "add_ticketevent"), ("tickets", "view_college"),
    ],
    "college_teacher": [
        ("tickets", "view_ticket"), ("tickets", "view_ticketevent"), ("tickets", "add_ticketevent"),
        ("tickets", "view_college"),
    ],
    "report_viewer": [("tickets", "view_college")],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm:
                group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_seed_colleges"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
