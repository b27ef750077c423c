"""Store every penalty's types once each, in Type order ("warning, warning" is a warning alone).

Rows that change get an audit entry (source "migration"), as any correction does.
"""

from django.db import migrations

ORDER = ["warning", "fine", "confiscation", "suspension", "revocation"]


def distinct(values):
    values = list(dict.fromkeys(values or []))
    return [v for v in ORDER if v in values] + [v for v in values if v not in ORDER]


def forwards(apps, schema_editor):
    Penalty = apps.get_model("merchants", "Penalty")
    AuditEntry = apps.get_model("merchants", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="merchants", model="penalty"
    )
    changed, entries = [], []
    for penalty in Penalty.objects.only("pk", "penalty_types", "decision_number").iterator():
        fixed = distinct(penalty.penalty_types)
        if fixed != penalty.penalty_types:
            entries.append(
                AuditEntry(
                    content_type=content_type,
                    object_id=str(penalty.pk),
                    object_repr=penalty.decision_number[:200],
                    action="change",
                    source="migration",
                    before={"penalty_types": penalty.penalty_types},
                    after={"penalty_types": fixed},
                    reason="Repeated penalty types stored once each.",
                )
            )
            penalty.penalty_types = fixed
            changed.append(penalty)
    Penalty.objects.bulk_update(changed, ["penalty_types"], batch_size=1000)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("merchants", "0006_merchant_accounts_objections_repairs"),
    ]

    # Reversing leaves the de-duplicated lists (and their audit entries) in place.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
