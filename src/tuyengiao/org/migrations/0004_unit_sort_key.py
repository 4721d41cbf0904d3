from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from tuyengiao.text.collation import sort_key

    Unit = apps.get_model("org", "Unit")
    batch = []
    for unit in Unit.objects.only("pk", "name").iterator(chunk_size=2000):
        unit.sort_key = sort_key(unit.name)
        batch.append(unit)
        if len(batch) >= 2000:
            Unit.objects.bulk_update(batch, ["sort_key"])
            batch = []
    Unit.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_unit_second_factor_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="sort_key",
            field=models.CharField(blank=True, editable=False, max_length=1024),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
