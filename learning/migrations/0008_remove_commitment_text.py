from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_commitment_text_becomes_action")]

    operations = [migrations.RemoveField(model_name="commitment", name="text")]
