from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from tuyengiao.text.collation import sort_key

    User = apps.get_model("org", "User")
    batch = []
    for user in User.objects.only("pk", "first_name", "last_name", "username").iterator(
        chunk_size=2000
    ):
        # as org.models.person_sort_key: the given name first
        user.sort_key = sort_key(f"{user.last_name} {user.first_name} {user.username}")
        batch.append(user)
        if len(batch) >= 2000:
            User.objects.bulk_update(batch, ["sort_key"])
            batch = []
    User.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_unit_sort_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sort_key",
            field=models.CharField(blank=True, editable=False, max_length=1024),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
