"""Fingerprints of the whole database and of every stored file, to compare before and after."""

import hashlib

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from backups.services import backed_up_models, file_storages


def _natural(model, pk, cache):
    key = (model, pk)
    if key not in cache:
        if model is ContentType:
            cache[key] = ContentType.objects.get_for_id(pk).natural_key()
        else:
            cache[key] = model.objects.get(pk=pk).natural_key()
    return cache[key]


def row_digest(obj, cache):
    """SHA-256 of every concrete field and many-to-many of a row. Content types and
    permissions are compared by natural key: a fresh installation numbers them anew."""
    parts = []
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if field.is_relation and field.related_model in (ContentType, Permission) and value:
            value = _natural(field.related_model, value, cache)
        parts.append(f"{field.attname}={value!r}")
    for field in obj._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            related = field.value_from_object(obj)
            if field.related_model is Permission:
                values = sorted(p.natural_key() for p in related)
            else:
                values = sorted(r.pk for r in related)
            parts.append(f"{field.name}={values!r}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def database_fingerprint():
    """{model label: {pk: digest}} of every backed-up model."""
    cache = {}
    return {
        model._meta.label_lower: {
            obj.pk: row_digest(obj, cache) for obj in model._base_manager.order_by("pk")
        }
        for model in backed_up_models()
    }


def files_fingerprint():
    """{storage key: {name: sha256}} of every stored file."""
    from backups.services import _walk

    result = {}
    for key, storage in file_storages().items():
        result[key] = {}
        for name in _walk(storage):
            with storage.open(name, "rb") as handle:
                result[key][name] = hashlib.sha256(handle.read()).hexdigest()
    return result


def wipe_storages():
    from backups.services import _walk

    for storage in file_storages().values():
        for name in list(_walk(storage)):
            storage.delete(name)


def tiny_png(colour=(200, 30, 30)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="图.png")


def build_content(user):
    """Content of every kind a restore must bring back: a published item with two revisions,
    an item in review (workflow and task states), an application with events and a private
    attachment, a document and an image with a rendition."""
    from django.utils import timezone
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import WorkflowState

    from citizen_services import services
    from citizen_services.choices import EventKind
    from citizen_services.models import RequestAttachment
    from disclosure_pages.models import NewsPage
    from tests.citizen_helpers import application_data
    from tests.factories import add_item
    from unit_sites.models import UnitPage

    unit = UnitPage.objects.get(slug="fgw")
    published = add_item(NewsPage, "fgw", title="备份测试已发布", slug="bk-published")
    published.title = "备份测试已发布（修订）"
    published.save_revision(user=user).publish()

    in_review = add_item(NewsPage, "fgw", publish=False, user=user, slug="bk-review")
    in_review.get_workflow().start(in_review, user)
    assert WorkflowState.objects.for_instance(in_review).get().status == "in_progress"

    document = get_document_model()(title="备份附件", collection=unit.collection)
    document.file.save("备份附件.pdf", ContentFile(b"%PDF-1.4 backup test\n" * 50), save=False)
    document.save()
    image = get_image_model()(title="备份图片", collection=unit.collection)
    image.file.save("backup.png", tiny_png(), save=False)
    image.save()
    image.get_rendition("fill-20x20")

    application = services.submit_application(unit, application_data())
    attachment = RequestAttachment(
        request=application, name="材料.txt", content_type="text/plain", size=9
    )
    attachment.file.save("材料.txt", ContentFile(b"applicant"), save=False)
    attachment.save()
    services.record_event(
        application,
        EventKind.CONSULTATION_SENT,
        timezone.localdate(),
        user=user,
        note="征求第三方意见",
    )
    # What a running platform holds beyond a fresh demo: the theme settings each site's first
    # visit creates, and a withdrawn item (rows whose receivers look up other rows).
    from wagtail.models import Site

    from review.models import Withdrawal
    from review.views import withdraw_page
    from themes.models import SiteThemeSettings

    for site in Site.objects.all():
        SiteThemeSettings.for_site(site)
    withdrawn = add_item(NewsPage, "fgw", title="备份测试已撤回", slug="bk-withdrawn")
    withdraw_page(withdrawn, user, reason=Withdrawal.Reason.SUPERSEDED, note="已被替代")
    return {
        "published": published,
        "in_review": in_review,
        "document": document,
        "image": image,
        "application": application,
    }
