"""Building blocks for the supervision tests: items at chosen dates, an overdue application
and complaint, a link to a draft, a document whose file is gone."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from citizen_services import services
from disclosure_pages.models import GeneralItemPage, NewsPage
from tests.citizen_helpers import application_data
from tests.factories import add_item
from unit_sites.models import UnitPage


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def unit(slug):
    return UnitPage.objects.get(slug=slug)


def news(unit_slug, published_days_ago, **fields):
    fields.setdefault("formed_date", days_ago(published_days_ago))
    return add_item(NewsPage, unit_slug, publish_date=days_ago(published_days_ago), **fields)


def overdue_application(unit_slug, days=60):
    """An application received `days` calendar days ago, still unanswered."""
    now = timezone.now() - datetime.timedelta(days=days)
    return services.submit_application(unit(unit_slug), application_data(), now=now)


def overdue_complaint(unit_slug, days=40):
    now = timezone.now() - datetime.timedelta(days=days)
    return services.submit_complaint(
        unit(unit_slug),
        {
            "category": "complaint",
            "name": "王五",
            "phone": "13700000000",
            "subject": "预算公开不及时",
            "content": "部门预算没有公开。",
        },
        now=now,
    )


def link_paragraph(page):
    return [
        {
            "type": "paragraph",
            "value": f'<p>详见<a linktype="page" id="{page.pk}">{page.title}</a>。</p>',
        }
    ]


def item_linking_to_draft(unit_slug):
    draft = add_item(
        GeneralItemPage, unit_slug, publish=False, title="尚未发布的通知", slug="draft"
    )
    linking = news(unit_slug, 1, title="引用草稿的动态", slug="linking", body=link_paragraph(draft))
    return linking, draft


def document_without_file(unit_slug, title="缺失的附件"):
    Document = get_document_model()
    document = Document(title=title, collection=unit(unit_slug).collection)
    document.file.save("missing.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    document.file.storage.delete(document.file.name)
    return document
