"""Wagtail admin views that show a page's draft title to anyone who names the page's id.

The explorer, search and choosers are filtered by hooks (wagtail_hooks.py); these views have
no hook, so a small middleware refuses them when the user cannot edit the page named."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .permissions import WEB_TEAM_GROUP_NAME

# url name → where the page ids are: "path" (the page_id/parent_page_id argument) or "query".
GUARDED_VIEWS = {
    "wagtailadmin_choose_page_child": "path",
    "wagtailadmin_choose_page_chosen_multiple": "query",
    "wagtail_bulk_action": "query",
}
# Site-wide reports list pages of every unit by their latest titles: for the web team only.
WEB_TEAM_ONLY_VIEWS = {
    f"{report}{suffix}"
    for report in ("page_types_usage", "aging_pages", "site_history", "workflow", "workflow_tasks")
    for suffix in ("", "_results")
}


def _page_ids(request, match, where):
    if where == "path":
        return [value for key, value in match.kwargs.items() if key.endswith("id")]
    return [value for value in request.GET.getlist("id") if value.isdigit()]


def _shows_only_public_titles(user, pages):
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["add", "change", "publish"]
    )
    hidden = pages.exclude(pk__in=editable.values("pk"))
    # A page the user cannot edit may be named only if its draft title is its public title.
    return not any(not page.live or page.draft_title != page.title for page in hidden)


class AdminDraftTitleGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/") and request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        user = request.user
        if user.is_superuser:
            return
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return
        if (
            match.url_name in WEB_TEAM_ONLY_VIEWS
            and not user.groups.filter(name=WEB_TEAM_GROUP_NAME).exists()
        ):
            raise PermissionDenied
        where = GUARDED_VIEWS.get(match.url_name)
        if where is None:
            return
        if match.url_name == "wagtail_bulk_action" and match.kwargs.get("model_name") != "page":
            return
        ids = _page_ids(request, match, where)
        if ids and not _shows_only_public_titles(user, Page.objects.filter(pk__in=ids)):
            raise PermissionDenied
