"""Two key kinds that Art. 20 of the 2019 Regulations names and the seed's catalogue lacks:
国民经济和社会发展统计信息 (item 4) and 财政预算、决算信息 (item 7), under 工作动态, so the
法定主动公开内容 column can link to them (article20.py). Kinds without an Art. 8 number sort
after the numbered ones. Added only when missing (the office may have added them already)."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CLASS_CODE = "gzdt"
NEW_KINDS = [
    ("tjxx", "国民经济和社会发展统计信息"),
    ("czyjs", "财政预算、决算信息"),
]


def _number(step):
    value = 0
    for char in step:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def _step(number):
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits


def seed(apps, schema_editor):
    Node = apps.get_model("disclosure_pages", "CatalogueNode")
    parent = Node.objects.filter(code=CLASS_CODE, depth=1).first()
    if parent is None:  # a platform whose office removed the class: nothing to attach to
        return
    for code, name in NEW_KINDS:
        if Node.objects.filter(code=code).exists():
            continue
        children = Node.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        last = children.order_by("-path").values_list("path", flat=True).first()
        position = _number(last[-4:]) + 1 if last else 1
        Node.objects.create(
            path=parent.path + _step(position),
            depth=parent.depth + 1,
            numchild=0,
            code=code,
            name=name,
            level="key_kind",
        )
        parent.numchild = children.count()
        parent.save(update_fields=["numchild"])


def remove_kinds(apps, schema_editor):
    Node = apps.get_model("disclosure_pages", "CatalogueNode")
    DisclosureItem = apps.get_model("disclosure_pages", "DisclosureItem")
    for code, _name in NEW_KINDS:
        node = Node.objects.filter(code=code).first()
        if node is None or DisclosureItem.objects.filter(key_kind=node).exists():
            continue  # items filed under it keep it
        parent = Node.objects.filter(path=node.path[:-4]).first()
        node.delete()
        if parent is not None:
            parent.numchild = Node.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).count()
            parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("statutory_columns", "0001_initial"),
        ("disclosure_pages", "0002_seed_catalogue_taxonomy"),
    ]
    operations = [migrations.RunPython(seed, remove_kinds)]
