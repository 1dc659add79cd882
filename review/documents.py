"""Uploaded files reach the public only through reviewed pages.

Wagtail serves every document to anyone by default, so a file attached to an item still in
review would be public before the item is. A document is public once a live, public page
references it (Wagtail's reference index tracks the page row, i.e. the published content);
staff signed into the admin can always fetch the documents they may choose."""

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex


def public_document_ids(document_ids=None):
    live_pages = Page.objects.live().public().values_list("pk", flat=True)
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(get_document_model()),
    )
    if document_ids is not None:
        references = references.filter(to_object_id__in=[str(pk) for pk in document_ids])
    referencing = references.values_list("object_id", "to_object_id")
    page_ids = {int(object_id) for object_id, _doc in referencing}
    live = set(live_pages.filter(pk__in=page_ids))
    return {int(doc_id) for object_id, doc_id in referencing if int(object_id) in live}


def is_public_document(document):
    return document.pk in public_document_ids([document.pk])


def public_documents(queryset):
    return queryset.filter(pk__in=public_document_ids())
