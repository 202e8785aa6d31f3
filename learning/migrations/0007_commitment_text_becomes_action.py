"""Existing commitments become if-then plans: their text is the plan's action (the
situation is left empty: the learner never wrote one, and we do not invent it)."""

from django.db import migrations


def text_to_action(apps, schema_editor):
    Commitment = apps.get_model("learning", "Commitment")
    for commitment in Commitment.objects.filter(action="").only("pk", "text").iterator():
        Commitment.objects.filter(pk=commitment.pk).update(action=commitment.text)


def action_to_text(apps, schema_editor):
    Commitment = apps.get_model("learning", "Commitment")
    for commitment in Commitment.objects.only("pk", "action", "situation").iterator():
        text = commitment.action
        if commitment.situation:
            text = f"When {commitment.situation}, I will {commitment.action}"
        Commitment.objects.filter(pk=commitment.pk).update(text=text[:500])


class Migration(migrations.Migration):
    dependencies = [("learning", "0006_if_then_commitments_and_refreshers")]

    operations = [migrations.RunPython(text_to_action, action_to_text)]
