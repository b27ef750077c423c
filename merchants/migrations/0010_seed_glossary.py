"""Seed the glossary with the English of every authority, specialty and term in use."""

from django.db import migrations

from merchants.glossary import SEED_TERMS


def seed(apps, schema_editor):
    GlossaryTerm = apps.get_model("merchants", "GlossaryTerm")
    known = set(GlossaryTerm.objects.values_list("vocabulary", "source"))
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(vocabulary=vocabulary, source=source, english=english)
        for vocabulary, source, english in SEED_TERMS
        if (vocabulary, source) not in known
    )


def unseed(apps, schema_editor):
    """Going back removes the seeded terms whose English staff never changed."""
    GlossaryTerm = apps.get_model("merchants", "GlossaryTerm")
    for vocabulary, source, english in SEED_TERMS:
        GlossaryTerm.objects.filter(vocabulary=vocabulary, source=source, english=english).delete()


class Migration(migrations.Migration):
    dependencies = [("merchants", "0009_english_texts_and_glossary")]

    operations = [migrations.RunPython(seed, unseed)]
