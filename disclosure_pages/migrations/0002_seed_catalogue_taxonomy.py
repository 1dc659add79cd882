"""Seed the statutory catalogue taxonomy (Art. 7 classes, Art. 8 key kinds).

Historical models lack treebeard's tree methods, so paths are written directly
(steplen 4, treebeard's default alphabet)."""

from django.db import migrations

from disclosure_pages.taxonomy import CATALOGUE_CLASSES, KEY_KINDS

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number):
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits


def seed(apps, schema_editor):
    Node = apps.get_model("disclosure_pages", "CatalogueNode")
    if Node.objects.exists():
        return
    for class_position, (code, name, description) in enumerate(CATALOGUE_CLASSES, start=1):
        kinds = [kind for kind in KEY_KINDS if kind[3] == code]
        class_path = _step(class_position)
        Node.objects.create(
            path=class_path,
            depth=1,
            numchild=len(kinds),
            code=code,
            name=name,
            level="class",
            description=description,
        )
        for kind_position, (item, kind_code, kind_name, _class) in enumerate(kinds, start=1):
            Node.objects.create(
                path=class_path + _step(kind_position),
                depth=2,
                numchild=0,
                code=kind_code,
                name=kind_name,
                level="key_kind",
                article8_item=item,
            )


class Migration(migrations.Migration):
    dependencies = [("disclosure_pages", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
