"""The key kind 政策解读 under 政策法规, for InterpretationPage (the catalogue's kind filter and
counts then list the 解读 apart from the documents). Added only when missing."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CLASS_CODE = "zcfg"
CODE, NAME = "zcjd", "政策解读"


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


def _children(Node, parent):
    return Node.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)


def seed(apps, schema_editor):
    Node = apps.get_model("disclosure_pages", "CatalogueNode")
    parent = Node.objects.filter(code=CLASS_CODE, depth=1).first()
    if parent is None or Node.objects.filter(code=CODE).exists():
        return
    last = _children(Node, parent).order_by("-path").values_list("path", flat=True).first()
    position = _number(last[-4:]) + 1 if last else 1
    Node.objects.create(
        path=parent.path + _step(position),
        depth=parent.depth + 1,
        numchild=0,
        code=CODE,
        name=NAME,
        level="key_kind",
    )
    parent.numchild = _children(Node, parent).count()
    parent.save(update_fields=["numchild"])


def unseed(apps, schema_editor):
    Node = apps.get_model("disclosure_pages", "CatalogueNode")
    DisclosureItem = apps.get_model("disclosure_pages", "DisclosureItem")
    node = Node.objects.filter(code=CODE).first()
    if node is None or DisclosureItem.objects.filter(key_kind=node).exists():
        return
    parent = Node.objects.filter(path=node.path[:-4]).first()
    node.delete()
    if parent is not None:
        parent.numchild = _children(Node, parent).count()
        parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("disclosure_pages", "0011_interpretationpage")]
    operations = [migrations.RunPython(seed, unseed)]
