"""Database ids inside a page's content, found (export) or replaced (import).

A page's content (`Page.serializable_data()`, what Wagtail stores in revisions) refers to other
rows by id: documents and images in StreamFields, rich text and foreign keys, pages, catalogue
nodes, tags, users. Ids differ between installations, so the archive records what each id
stands for and an import maps it to the row that stands for the same thing there.

`map_content(model, content, resolve)` walks the content with the model's field and block
definitions and calls `resolve(kind, old_id)` for every reference; it returns a new content
dict with each id replaced by what `resolve` returned (None drops the reference).
"""

import json
import re

from django.contrib.auth import get_user_model
from django.db import models
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Locale, Page, Revision

from disclosure_pages.models import CatalogueNode
from unit_sites.models import UnitPage

DOCUMENT, IMAGE, PAGE, NODE, USER, TAG, UNIT, LOCALE, REVISION = (
    "document",
    "image",
    "page",
    "node",
    "user",
    "tag",
    "unit",
    "locale",
    "revision",
)

# Keys of a page's content that belong to its place in this installation, not to its content.
TREE_KEYS = ("pk", "path", "depth", "numchild", "url_path", "content_type", "alias_of")

_TAG = re.compile(r"<(a|embed)\b([^>]*?)(/?)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def _kind_of_fk(field):
    target = field.related_model
    if issubclass(target, UnitPage):
        return UNIT
    for kind, model in (
        (DOCUMENT, get_document_model()),
        (IMAGE, get_image_model()),
        (PAGE, Page),
        (NODE, CatalogueNode),
        (USER, get_user_model()),
        (LOCALE, Locale),
        (REVISION, Revision),
    ):
        if issubclass(target, model):
            return kind
    return None


def map_rich_text(html, resolve):
    """Rewrite the ids of document and page links and embedded images in stored rich text."""
    if not html:
        return html

    def replace(match):
        tag, attrs, closing = match.groups()
        values = dict(_ATTR.findall(attrs))
        kind = {
            ("a", "document"): DOCUMENT,
            ("a", "page"): PAGE,
            ("embed", "image"): IMAGE,
        }.get((tag, values.get("linktype") or values.get("embedtype")))
        if kind is None or not values.get("id", "").isdigit():
            return match.group(0)
        new_id = resolve(kind, int(values["id"]))
        if new_id is None:
            return "<a>" if tag == "a" else ""  # link text stays, the dead target goes
        new_attrs = _ATTR.sub(
            lambda m: f'id="{new_id}"' if m.group(1) == "id" else m.group(0), attrs
        )
        return f"<{tag}{new_attrs}{closing}>"

    return _TAG.sub(replace, html)


def map_block(block, raw, resolve):
    """A StreamField block's raw (JSON) value with its references resolved."""
    if raw is None:
        return raw
    if isinstance(block, blocks.StreamBlock):
        result = []
        for child in raw:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:
                result.append(child)
            else:
                result.append(
                    {**child, "value": map_block(child_block, child.get("value"), resolve)}
                )
        return result
    if isinstance(block, blocks.ListBlock):
        result = []
        for item in raw:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                result.append(
                    {**item, "value": map_block(block.child_block, item["value"], resolve)}
                )
            else:
                result.append(map_block(block.child_block, item, resolve))
        return result
    if isinstance(block, blocks.StructBlock):
        if not isinstance(raw, dict):
            return raw
        return {
            name: map_block(block.child_blocks[name], value, resolve)
            if name in block.child_blocks
            else value
            for name, value in raw.items()
        }
    kind = None
    if isinstance(block, DocumentChooserBlock):
        kind = DOCUMENT
    elif isinstance(block, ImageChooserBlock):
        kind = IMAGE
    elif isinstance(block, blocks.PageChooserBlock):
        kind = PAGE
    elif isinstance(block, blocks.RichTextBlock):
        return map_rich_text(raw, resolve)
    if kind is not None:
        return resolve(kind, int(raw)) if str(raw).isdigit() else raw
    return raw


def map_content(model, content, resolve):
    """A copy of a page's serialised content with every reference passed through `resolve`."""
    content = dict(content)
    for field in model._meta.concrete_fields:
        name = field.name
        if name not in content or content[name] in (None, ""):
            continue
        if isinstance(field, StreamField):
            value = content[name]
            raw = json.loads(value) if isinstance(value, str) else value
            mapped = map_block(field.stream_block, raw, resolve)
            content[name] = (
                json.dumps(mapped, ensure_ascii=False) if isinstance(value, str) else mapped
            )
        elif isinstance(field, RichTextField):
            content[name] = map_rich_text(content[name], resolve)
        elif isinstance(field, models.ForeignKey) and not field.remote_field.parent_link:
            kind = _kind_of_fk(field)
            if kind is not None:
                content[name] = resolve(kind, content[name])
    tagged = content.get("tagged_items")
    if isinstance(tagged, list):
        items = []
        for item in tagged:
            tag = resolve(TAG, item.get("tag"))
            if tag is not None:
                items.append({**item, "tag": tag})
        content["tagged_items"] = items
    return content


def collect_references(model, content):
    """{kind: set of ids} that a page's content refers to."""
    found = {}

    def record(kind, old_id):
        if old_id is not None:
            found.setdefault(kind, set()).add(old_id)
        return old_id

    map_content(model, content, record)
    return found
