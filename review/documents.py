"""Uploaded files reach the public only through reviewed pages.

Wagtail serves every document to anyone by default, so a file attached to an item still in
review would be public before the item is. A document is public once a live, public page
references it (Wagtail's reference index tracks the page row, i.e. the published content);
staff signed into the admin can fetch, besides, the documents they may choose (their units'
collections), never another unit's unpublished ones. Images follow the same rule in the API."""

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


def document_policy():
    return policy_registry.get_by_type(get_document_model())


def public_object_ids(model, object_ids=None):
    """Ids of the `model` objects (documents, images) that a live, public page references."""
    live_pages = Page.objects.live().public().values_list("pk", flat=True)
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(model),
    )
    if object_ids is not None:
        references = references.filter(to_object_id__in=[str(pk) for pk in object_ids])
    referencing = references.values_list("object_id", "to_object_id")
    page_ids = {int(page_id) for page_id, _object_id in referencing}
    live = set(live_pages.filter(pk__in=page_ids))
    return {int(object_id) for page_id, object_id in referencing if int(page_id) in live}


def public_document_ids(document_ids=None):
    return public_object_ids(get_document_model(), document_ids)


def is_public_document(document):
    return document.pk in public_document_ids([document.pk])


def public_documents(queryset):
    return queryset.filter(pk__in=public_document_ids())


def public_images(queryset):
    return queryset.filter(pk__in=public_object_ids(get_image_model()))


def may_choose_document(user, document):
    """Staff may fetch an unpublished document only where they may choose or change it."""
    return document_policy().user_has_any_permission_for_instance(
        user, ["choose", "change"], document
    )


def choosable_documents(user, queryset):
    return queryset.filter(
        pk__in=document_policy()
        .instances_user_has_any_permission_for(user, ["choose", "change"])
        .values("pk")
    )


def referenced_document_ids(obj):
    """Ids of the documents a page (or any object Wagtail's reference index reads) links to:
    choosers in StreamFields, links in rich text, foreign keys."""
    if obj is None:
        return set()
    content_type = ContentType.objects.get_for_model(get_document_model())
    return {
        int(object_id)
        for content_type_id, object_id, _model_path, _content_path in (
            ReferenceIndex._extract_references_from_object(obj)
        )
        if content_type_id == content_type.pk and str(object_id).isdigit()
    }


def foreign_documents(user, page, before=None):
    """The documents `page` links to that `user` may not attach: neither choosable by them
    (another unit's collection) nor public yet, nor linked already by `before` (the content
    before this edit, e.g. a file the web team attached). Linking such a document by its id
    would publish another unit's private file once this page's own chain approves it."""
    ids = referenced_document_ids(page) - referenced_document_ids(before)
    if not ids:
        return []
    documents = get_document_model().objects.filter(pk__in=ids)
    allowed = set(choosable_documents(user, documents).values_list("pk", flat=True))
    allowed |= public_document_ids(ids)
    return [document for document in documents if document.pk not in allowed]
