from django.db import migrations

from civicpost.archive import triggers


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(triggers.install, triggers.remove)]
