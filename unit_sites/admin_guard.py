"""Wagtail admin views that show a page's draft title to anyone who names the page's id.

The explorer's listings, search and choosers are filtered by hooks (wagtail_hooks.py). Every
admin view that takes a page's id in its URL (`page_id`, `parent_page_id`: the explorer's
heading, the editor, revisions, history, workflow previews and actions…) or in its query
string (choosers, bulk actions) is refused here when the user may not see that page's draft:
Wagtail checks its own permissions inside such views, but several answer a refusal with a
message naming the page by its latest (draft) title, e.g. the workflow preview and action
views ("The page '…' is not currently awaiting moderation"), and the explorer opens at any
page below the user's explorable root with the page's draft title as its heading.

A user may see a page's draft when they may edit it, when it lies on their way to what they
may edit (an ancestor, as Wagtail's explorer shows it), or when they may act on its current
workflow task; anyone may name a page whose draft title is its public title."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .permissions import WEB_TEAM_GROUP_NAME

# URL arguments that name a page, in every admin view.
PAGE_ID_ARGUMENTS = ("page_id", "parent_page_id")
# url name → the query parameter naming pages, for views that take them in the query string.
QUERY_VIEWS = {
    "wagtailadmin_choose_page_chosen_multiple": "id",
    "wagtail_bulk_action": "id",
}
# Site-wide reports list pages of every unit by their latest titles: for the web team only.
WEB_TEAM_ONLY_VIEWS = {
    f"{report}{suffix}"
    for report in ("page_types_usage", "aging_pages", "site_history", "workflow", "workflow_tasks")
    for suffix in ("", "_results")
}


def _page_ids(request, match):
    ids = [str(match.kwargs[name]) for name in PAGE_ID_ARGUMENTS if name in match.kwargs]
    parameter = QUERY_VIEWS.get(match.url_name)
    if parameter:
        ids += request.GET.getlist(parameter)
    return [int(value) for value in ids if value.isdigit()]


def _moderates(user, page):
    """The user may act on the page's current workflow task (e.g. the office that files a
    department's item, or a reviewer without edit rights)."""
    state = page.current_workflow_state
    task_state = state.current_task_state if state else None
    if task_state is None:
        return False
    return bool(task_state.task.specific.get_actions(page, user))


def may_see_drafts(user, pages):
    """Whether `user` may see the draft (latest) titles of every page of the queryset."""
    if user.is_superuser:
        return True
    policy = PagePermissionPolicy()
    editable = policy.instances_user_has_any_permission_for(user, ["add", "change", "publish"])
    hidden = pages.exclude(pk__in=editable.values("pk")).exclude(
        pk__in=policy.explorable_instances(user).values("pk")
    )
    for page in hidden:
        if page.live and page.draft_title == page.title:
            continue  # its draft title is its public title
        if not _moderates(user, page):
            return False
    return True


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
        if match.url_name == "wagtail_bulk_action" and match.kwargs.get("model_name") != "page":
            return
        ids = _page_ids(request, match)
        if ids and not may_see_drafts(user, Page.objects.filter(pk__in=ids)):
            raise PermissionDenied
