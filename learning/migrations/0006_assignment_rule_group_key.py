import hashlib

from django.db import migrations, models

import allyship.validators


def fill_group_keys(apps, schema_editor):
    """Key every existing rule by its group; of older duplicates only the first live one keeps
    the plain key (the others get their id appended), so the constraint can be added."""
    AssignmentRule = apps.get_model("learning", "AssignmentRule")
    Assignment = apps.get_model("learning", "Assignment")
    seen = set()
    for rule in AssignmentRule.objects.order_by("created_at", "id"):
        if rule.scope == "department":
            key = f"department:{rule.department_id}"
        elif rule.scope == "team":
            key = f"team:{rule.team_manager_id}"
        elif rule.scope == "people":
            ids = sorted(
                set(Assignment.objects.filter(rule_id=rule.pk).values_list("user_id", flat=True))
            )
            key = "people:" + hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
        else:
            key = rule.scope
        if rule.withdrawn_at is None:
            if (rule.course_id, key) in seen:
                key = f"{key}:{rule.pk}"[:80]
            seen.add((rule.course_id, key))
        rule.group_key = key
        rule.save(update_fields=["group_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_roles_stored"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignmentrule",
            name="group_key",
            field=models.CharField(default="", max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(fill_group_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assignmentrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("course", "group_key"),
                name="assignment_rule_once_per_live_group",
            ),
        ),
        migrations.AlterField(
            model_name="course",
            name="title",
            field=models.CharField(
                max_length=160, validators=[allyship.validators.SingleLineValidator()]
            ),
        ),
    ]
