from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_topics")]

    operations = [
        migrations.RenameField(model_name="concern", old_name="summary", new_name="description"),
    ]
