from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from tuyengiao.text.collation import sort_key

    for name in ("Topic", "ResponsibleBody"):
        model = apps.get_model("concerns", name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.sort_key = sort_key(row.name)
        model.objects.bulk_update(rows, ["sort_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0005_responsible_bodies"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="sort_key",
            field=models.CharField(blank=True, editable=False, max_length=512),
        ),
        migrations.AddField(
            model_name="responsiblebody",
            name="sort_key",
            field=models.CharField(blank=True, editable=False, max_length=1024),
        ),
        migrations.AlterModelOptions(
            name="topic",
            options={
                "ordering": ["position", "sort_key", "name"],
                "verbose_name": "lĩnh vực",
                "verbose_name_plural": "lĩnh vực",
            },
        ),
        migrations.AlterModelOptions(
            name="responsiblebody",
            options={
                "ordering": ["unit_path", "sort_key", "name", "id"],
                "verbose_name": "cơ quan chịu trách nhiệm",
                "verbose_name_plural": "cơ quan chịu trách nhiệm",
            },
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
