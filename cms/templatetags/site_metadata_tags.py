"""The metadata tags of the national site rules (政府网站发展指引, 国办发〔2017〕47号) in every
public page's head, which national site monitoring reads.

The home page of a site carries the three site tags; a column page adds the four column tags;
an item page adds the content tags. The site tags come from the site and its settings; a page
declares the rest itself with `get_site_metadata(request)` (a dict of tag → value, see
docs/conventions.md), and a view without a page may put that dict in its context as
`site_metadata`. Pages declaring nothing are treated as columns named after their title.

This tag lives in cms, the top layer: it reads the theme settings and any page type without
the lower apps knowing about each other.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from wagtail.models import Site

from themes.models import SiteThemeSettings

register = template.Library()

SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT_TAGS = ("ArticleTitle", "PubDate", "ContentSource")
OPTIONAL_CONTENT_TAGS = ("Keywords", "Author", "Description", "Image", "Url")
PUBDATE_FORMAT = "%Y-%m-%d %H:%M"  # 24 h, as the national monitoring reads it

# The column type of a page that declares none (the 指引's vocabulary ends with 其他).
DEFAULT_COLUMN_TYPE = "其他"


def format_pubdate(value):
    """`YYYY-MM-DD HH:MM` in local time, from a datetime or a date (then 00:00)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(PUBDATE_FORMAT)
    return datetime.datetime.combine(value, datetime.time()).strftime(PUBDATE_FORMAT)


def site_tags(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"SiteName": "", "SiteDomain": "", "SiteIDCode": ""}, None
    settings = SiteThemeSettings.lookup_for_request(request)
    return {
        "SiteName": site.site_name or site.root_page.title,
        "SiteDomain": site.hostname,
        "SiteIDCode": settings.website_code,
    }, site


def page_tags(page, request, site):
    """What the page declares; a page that is its site's home declares nothing."""
    getter = getattr(page, "get_site_metadata", None)
    if getter is not None:
        return dict(getter(request) or {})
    if site is not None and page.pk == site.root_page_id:
        return {}
    return {"ColumnName": page.title, "ColumnType": DEFAULT_COLUMN_TYPE}


def collect(context):
    """The tags of the page being rendered, as an ordered list of (name, value)."""
    request = context.get("request")
    tags, site = site_tags(request)
    declared = context.get("site_metadata")
    if declared is None:
        page = context.get("page")
        declared = page_tags(page, request, site) if page is not None and page.pk else {}
    declared = dict(declared)
    is_item = any(declared.get(name) for name in CONTENT_TAGS)
    is_column = is_item or any(declared.get(name) for name in COLUMN_TAGS)
    names = list(SITE_TAGS)
    if is_column:
        declared.setdefault("ColumnKeywords", declared.get("ColumnName", ""))
        declared.setdefault("ColumnType", DEFAULT_COLUMN_TYPE)
        names += COLUMN_TAGS
    if is_item:
        names += CONTENT_TAGS
        names += [name for name in OPTIONAL_CONTENT_TAGS if declared.get(name)]
    values = {**declared, **tags}
    return [(name, _text(values.get(name))) for name in names]


def _text(value):
    if isinstance(value, datetime.date):
        return format_pubdate(value)
    return str(value or "")


@register.simple_tag(takes_context=True)
def site_metadata(context):
    """The `<meta name=… content=…>` tags of the national site rules for this page."""
    return format_html_join("\n", '<meta name="{}" content="{}">', collect(context))
