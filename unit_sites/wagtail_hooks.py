from django.db.models import F
from django.http import HttpResponsePermanentRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, Site

from . import permissions
from .models import UnitPage, canonical_site_for
from .views import ProvisionUnitView


@hooks.register("before_serve_page")
def redirect_to_canonical_site(page, request, serve_args, serve_kwargs):
    """A unit with its own subsite is also reachable under its parent's host by path
    (the tree nests). Send such requests to the subsite, so each page has one address."""
    current = Site.find_for_request(request)
    canonical = canonical_site_for(page)
    if current and canonical and current.pk != canonical.pk:
        url = page.get_full_url()
        # Keep what lies below the page's own path: a route of a routable page (e.g. feed/).
        page_path = page.url_path[len(current.root_page.url_path) - 1 :]
        if request.path.startswith(page_path):
            url += request.path[len(page_path) :]
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(url)
    return None


@hooks.register("after_create_page")
def grant_new_workspace(request, page):
    """A page added directly under a unit is one of its workspaces: open it to the unit's staff."""
    parent = page.get_parent().specific
    if isinstance(parent, UnitPage) and not isinstance(page.specific, UnitPage):
        permissions.grant_workspace_permissions(parent, page)


@hooks.register("construct_page_chooser_queryset")
def hide_other_units_drafts(pages, request):
    """Choosers list live pages anywhere (linking to public pages is fine) but unpublished
    pages only where the user may edit: no one sees another unit's drafts.

    The chooser shows a page's *draft* title, so a live page whose unpublished draft retitles
    it is listed only where the user may edit, too."""
    user = request.user
    if user.is_superuser:
        return pages
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["add", "change", "publish"]
    )
    retitled = (
        Page.objects.filter(live=True).exclude(draft_title="").exclude(draft_title=F("title"))
    )
    return pages.filter(live=True).exclude(pk__in=retitled.values("pk")) | pages.filter(
        pk__in=editable.values("pk")
    )


@hooks.register("before_move_page")
def refuse_unpermitted_move(request, page, destination):
    """Wagtail checks the move permission only when a move is confirmed (POST); its
    confirmation page (GET) would show any page's and destination's draft titles to anyone."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


@hooks.register("register_admin_urls")
def register_provision_url():
    return [path("units/provision/", ProvisionUnitView.as_view(), name="unit_sites_provision")]


class ProvisionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("unit_sites.provision_unit")


@hooks.register("register_settings_menu_item")
def register_provision_menu_item():
    return ProvisionMenuItem(
        _("Provision a unit"), reverse("unit_sites_provision"), icon_name="site", order=150
    )


@hooks.register("register_log_actions")
def register_unit_log_actions(actions):
    actions.register_action(
        "unit_sites.provision", _("Provision unit"), _("Provisioned with its unit")
    )
