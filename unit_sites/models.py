"""The unit tree: every government organ that discloses information is a UnitPage.

The unit hierarchy *is* Wagtail's page tree. A unit's children are its content workspaces
(its disclosure catalogue, added by higher apps) and its sub-units. A unit is presented either
on its own subsite (a Wagtail Site rooted at its page) or as a section of its parent's site.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Collection, Page, Site
from wagtail.search import index

from . import structure
from .routing import PathRouteMixin
from .structure import ViewRestrictionsMixin, canonical_site_for  # noqa: F401  (re-exported)
from .validators import validate_credit_code

UNIT_HOME_SECTIONS_HOOK = "unit_home_sections"


class UnitKind(models.TextChoices):
    CITY_GOVERNMENT = "city", _("City government")
    COUNTY_GOVERNMENT = "county", _("County or district government")
    DEPARTMENT = "department", _("Government department")
    INSTITUTION = "institution", _("Public enterprise or institution")
    AGENCY = "agency", _("Dispatched agency or other organisation")

    @classmethod
    def governments(cls):
        """Kinds whose government runs a disclosure office (政务公开办) over its units."""
        return {cls.CITY_GOVERNMENT, cls.COUNTY_GOVERNMENT}


class CanonicalUrlMixin:
    """Link to a page on its canonical site (the most specific one), even from a parent site.

    A subsite's pages are also reachable by path on the parent's site, because the tree nests;
    Wagtail would then prefer the current site when building links. Pages of units link to
    the subsite instead, so every page has one address (the other one redirects)."""

    def get_url_parts(self, request=None):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().get_url_parts(request=None)
        if request is not None:
            self._get_site_root_paths(request)
        return url_parts_for_path(self.url_path)

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        paths = structure.site_root_paths()
        if cache_object is not None:  # where Wagtail's callers look for them afterwards
            cache_object._wagtail_cached_site_root_paths = paths
        return paths


def url_parts_for_path(url_path):
    """Wagtail's `get_url_parts()` (site id, root URL, page path) for a page at `url_path`,
    without a request and computed from memory: a listing links twenty pages, and Wagtail
    would read the site root paths from Django's cache and reverse() its serve URL for each of
    them (tests/test_routing.py compares the two)."""
    return _url_parts(structure.site_root_paths(), _kept_serve_prefix(), url_path)


def url_for_path(url_path, request=None):
    """Wagtail's `page.get_url(request)` for a page of ours at `url_path`, without the page."""
    return linker(request)(url_path)


def linker(request=None):
    """`url_for_path` for many pages linked from one request: the site roots, the request's
    site and the serve URL looked up once. Listings show rows of values, not page instances
    (tests/test_routing.py compares the links with Wagtail's)."""
    roots = structure.site_root_paths()
    prefix = _kept_serve_prefix()
    current_site = Site.find_for_request(request) if request is not None else None
    current_id = current_site.id if current_site is not None else None
    one_site = len({row[0] for row in roots}) == 1

    def url(url_path):
        parts = _url_parts(roots, prefix, url_path)
        if parts is None or parts[2] is None:
            return None
        site_id, root_url, page_path = parts
        return page_path if one_site or site_id == current_id else root_url + page_path

    return url


def _url_parts(roots, prefix, url_path):
    for site_id, root_path, root_url, _language in roots:
        if url_path.startswith(root_path):  # the most specific root comes first
            return (site_id, root_url, _serve_path(prefix, url_path[len(root_path) :]))
    return None


def _kept_serve_prefix():
    return structure.remember(f"serve-prefix:{get_script_prefix()}", _serve_prefix)


def _serve_path(prefix, path_below_root):
    """What reverse("wagtail_serve", args=(path,)) gives, without resolving it each time."""
    if prefix is None:  # Wagtail's serve view is not routed (headless)
        return None
    path = quote(prefix + path_below_root, safe=RFC3986_SUBDELIMS + "/~:@")
    return path.rstrip("/") if not WAGTAIL_APPEND_SLASH and path != "/" else path


def _serve_prefix():
    try:
        return reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        return None


class UnitPage(PathRouteMixin, ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    org_code = models.CharField(
        _("organisation code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18-character unified social credit code; it prefixes every index number."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    complaint_channel = models.TextField(
        _("complaints and supervision"),
        blank=True,
        help_text=_("Where citizens can complain about this unit's disclosure work (Art. 14)."),
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("document collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["wagtailcore.Page", "unit_sites.UnitPage"]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("short_name"), FieldPanel("kind"), FieldPanel("org_code")],
            heading=_("Unit"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("office_hours"),
                FieldPanel("complaint_channel"),
            ],
            heading=_("Contact"),
        ),
    ]

    search_fields = [*Page.search_fields, index.SearchField("short_name")]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def clean(self):
        super().clean()
        # Unit slugs are global: they name the unit's accounts and groups and its subsite host.
        clash = UnitPage.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": _("Another unit already uses this slug.")})

    @property
    def display_name(self):
        return self.short_name or self.title

    @cached_property
    def own_site(self):
        """The Site rooted at this unit, or None when the unit is a section."""
        return Site.objects.filter(root_page=self).first()

    @property
    def has_own_site(self):
        return self.own_site is not None

    def get_parent_unit(self):
        return UnitPage.objects.filter(pk=self.get_parent().pk).first() if self.depth > 2 else None

    def get_ancestor_units(self, inclusive=False):
        return UnitPage.objects.ancestor_of(self, inclusive=inclusive).order_by("depth")

    def get_sub_units(self):
        """Its live units one level down, kept in memory and shared: only read them."""
        return structure.remember(
            f"sub-units:{self.pk}",
            lambda: list(UnitPage.objects.child_of(self).live().order_by("path")),
        )

    def get_directory(self):
        """Every live unit below this one, grouped under the unit directly below it:
        [(unit, [its descendant units…]), …], in tree order."""
        groups = []

        def live_units():
            # By their ids: filtered on the page table, SQLite would walk every page (100,000
            # items) to find the few units.
            ids = structure.unit_path_ids(UnitPage).values()
            units = descendants(UnitPage.objects.filter(pk__in=ids), self).live()
            return sorted(structure.public(units), key=lambda unit: unit.path)

        # Kept in memory with the other structure pages (the directory changes with them) and
        # shared: the directory is only read.
        for unit in structure.remember(f"directory:{self.pk}", live_units):
            if unit.depth == self.depth + 1:
                groups.append((unit, []))
            elif groups and unit.path.startswith(groups[-1][0].path):
                groups[-1][1].append(unit)
        return groups

    @cached_property
    def live_workspaces(self):
        """Its live workspaces (catalogue, citizen services…) in tree order. The navigation,
        the home page and the catalogue's links all list them: kept in memory."""
        return structure.page_copies(
            f"workspaces:{self.pk}",
            lambda: self.get_children().live().not_type(UnitPage).order_by("path"),
        )

    def get_site_metadata(self, request):
        """The national site rules' tags (cms.templatetags.site_metadata_tags): the home page
        of a unit's own site carries the site tags only; a unit shown as a section of its
        parent's site is a column of that site, of type 首页 (its own home)."""
        site = Site.find_for_request(request) if request is not None else None
        if site is None or site.root_page_id == self.pk:
            return {}
        return {
            "ColumnName": self.title,
            "ColumnDescription": self.search_description,
            "ColumnKeywords": self.display_name,
            "ColumnType": "首页",
        }

    def get_home_sections(self, request):
        """Blocks that higher apps add to a unit's home page (e.g. its latest disclosure
        items), via the `unit_home_sections` hook: fn(unit, request) → list of dicts, each
        with a `template` to include (the dict is available in it as `section`)."""
        sections = []
        for hook in hooks.get_hooks(UNIT_HOME_SECTIONS_HOOK):
            sections.extend(hook(self, request) or [])
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sub_units"] = self.get_sub_units()
        context["workspaces"] = self.live_workspaces
        if self.depth == 2:  # the portal: the directory of every unit (Art. 10)
            context["directory"] = self.get_directory()
        context["home_sections"] = self.get_home_sections(request)
        return context


class UnitRole(models.TextChoices):
    EDITOR = "editor", _("Editors")
    REVIEWER = "reviewer", _("Reviewers")
    SECRECY = "secrecy", _("Secrecy reviewers")
    OFFICE = "office", _("Disclosure office")


class UnitGroup(models.Model):
    """Which auth Group plays which role for a unit (so renaming a group breaks nothing)."""

    unit = models.ForeignKey(UnitPage, on_delete=models.CASCADE, related_name="role_groups")
    role = models.CharField(max_length=20, choices=UnitRole.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="unit_role")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="unique_unit_role"),
        ]
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")
        permissions = [("provision_unit", _("Can provision units"))]

    def __str__(self):
        return f"{self.unit.title}: {self.get_role_display()}"


class FormerHostname(models.Model):
    """A hostname a unit's subsite used to have; requests to it redirect to the unit's
    current location so old links keep working after a subsite becomes a section."""

    hostname = models.CharField(max_length=255, unique=True)
    unit = models.ForeignKey(UnitPage, on_delete=models.CASCADE, related_name="former_hostnames")
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former hostname")
        verbose_name_plural = _("former hostnames")

    def __str__(self):
        return self.hostname


def descendants(queryset, page, inclusive=False):
    """`queryset.descendant_of(page)`, without its path filter when `page` is the only
    top-level page (the usual single portal) and the filter would select everything anyway:
    that LIKE on the path cannot use an index on SQLite and costs ~60 ms at 100,000 items."""
    if page.depth == 2:
        # Kept in memory: top-level pages are structure pages (unit_sites.structure).
        sole = structure.remember(
            f"sole-top-level:{page.pk}",
            lambda: not Page.objects.filter(depth=2).exclude(pk=page.pk).exists(),
        )
        if sole:
            # Everything but the tree's root is the portal or under it. (A filter on depth
            # would make SQLite give up the index on the publication date for the latest items.)
            outside = (
                [page.path[: Page.steplen]] if inclusive else [page.path[: Page.steplen], page.path]
            )
            return queryset.exclude(path__in=outside)
    return queryset.descendant_of(page, inclusive=inclusive)


def unit_for_page(page):
    """The unit a page belongs to: the nearest UnitPage at or above it (from memory: see
    unit_sites.structure; an instance of its own)."""
    return structure.nearest(UnitPage, page)
