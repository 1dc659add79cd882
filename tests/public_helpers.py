"""Helpers for tests of the public side: follow real links across hosts, read counts."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from unit_sites.models import UnitPage


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (href, text)
        self._href = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def links(html):
    """Every <a href> of a page as (href, text)."""
    parser = _Links()
    parser.feed(html)
    return parser.links


def link_to(html, text):
    """The href of the first link whose text is `text`."""
    for href, label in links(html):
        if label == text:
            return href
    raise AssertionError(f"no link “{text}” on the page")


class Browser:
    """A citizen's browser: remembers where it is, so relative links resolve like a browser's
    (across the portal and the subsites, which are different hosts)."""

    def __init__(self, client, url="http://localhost/"):
        self.client = client
        self.url = url
        self.response = None

    def get(self, href):
        url = urljoin(self.url, href)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.response = self.client.get(path, HTTP_HOST=parts.hostname)
        self.url = url
        return self.response

    @property
    def html(self):
        return self.response.content.decode()

    def click(self, text):
        return self.get(link_to(self.html, text))


def make_document(unit_slug, *, name="附件.pdf", content=b"%PDF-1.4 test attachment\n"):
    """A document in the unit's collection (in-memory storage in tests)."""
    unit = UnitPage.objects.get(slug=unit_slug)
    document = get_document_model()(title=name.rsplit(".", 1)[0], collection=unit.collection)
    document.file.save(name, ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def bulk_live_items(parent, count, model, *, prefix="bulk", **fields):
    """`count` live items under a class column in a few INSERTs (one per table and batch).

    Creating them one by one through the tree and the publishing machinery takes ~60 ms each
    (validation, index number, search and reference index); a listing only needs the rows.
    Django's bulk_create refuses multi-table models, so each table is inserted in turn."""
    from django.utils import timezone
    from wagtail.models import Page

    from disclosure_pages.models import DisclosureItem

    parent.refresh_from_db()
    last = parent.get_last_child()
    first_step = parent._str2int(last.path[-parent.steplen :]) + 1 if last else 1
    now = timezone.now()
    objs = []
    for number in range(count):
        slug = f"{prefix}-{number}"
        obj = model(
            title=f"批量信息{number:04d}",
            draft_title=f"批量信息{number:04d}",
            slug=slug,
            path=parent._get_path(parent.path, parent.depth + 1, first_step + number),
            depth=parent.depth + 1,
            url_path=f"{parent.url_path}{slug}/",
            content_type_id=_content_type_id(model),
            locale_id=parent.locale_id,
            live=True,
            first_published_at=now,
            last_published_at=now,
            unit_id=_unit_id(parent),
            catalogue_class_id=parent.specific.node_id,
            issuer="批量发布机构",
            **fields,
        )
        obj.publish_date = obj.publish_date or now.date()
        objs.append(obj)
    tables = [Page, DisclosureItem, model]
    for start in range(0, count, 100):
        batch = objs[start : start + 100]
        for table in tables:
            local = [
                f
                for f in table._meta.local_concrete_fields
                if not (table is Page and f.primary_key)
            ]
            if table is Page:
                returned = table._base_manager._insert(
                    batch, fields=local, returning_fields=table._meta.db_returning_fields
                )
                for obj, (pk,) in zip(batch, returned, strict=True):
                    obj.pk = obj.id = pk
                    obj.page_ptr_id = pk
                    if hasattr(obj, "disclosureitem_ptr_id"):
                        obj.disclosureitem_ptr_id = pk
            else:
                table._base_manager._insert(batch, fields=local)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    return objs


def _content_type_id(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _unit_id(page):
    from unit_sites.models import unit_for_page

    return unit_for_page(page).pk


def make_image(title="照片"):
    """A small real PNG in the image library (renditions need a decodable file)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (240, 320), (200, 30, 30)).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file.save(f"{title}.png", ImageFile(buffer, name=f"{title}.png"), save=False)
    image.save()
    return image
