"""The admin's menus: each role is shown only what opens for it.

- Wagtail's site-wide reports (workflows, workflow tasks, site history, aging pages, page
  types usage) list every unit's pages and are the web team's (unit_sites.admin_guard refuses
  them to anyone else): they leave the others' Reports menu. A disclosure office gets instead
  the workflow report of its own units.
- The help menu leads to the Chinese editor's guide in the admin, not to Wagtail's English
  guide on an outside server (unreachable from a government intranet).
"""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, path, resolve, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from unit_sites.admin_guard import WEB_TEAM_ONLY_VIEWS
from unit_sites.permissions import WEB_TEAM_GROUP_NAME

from .admin_views import EditorGuideView, OfficeWorkflowReportView, is_office


def is_web_team(user):
    return user.is_superuser or user.groups.filter(name=WEB_TEAM_GROUP_NAME).exists()


def _url_name(url):
    try:
        return resolve(url).url_name
    except Resolver404:
        return None


@hooks.register("register_admin_urls")
def register_admin_views():
    return [
        path(
            "reports/my-units-workflows/",
            OfficeWorkflowReportView.as_view(),
            name="gongkai_office_workflow_report",
        ),
        path(
            "reports/my-units-workflows/results/",
            OfficeWorkflowReportView.as_view(results_only=True),
            name="gongkai_office_workflow_report_results",
        ),
        path("guide/", EditorGuideView.as_view(), name="gongkai_editor_guide"),
    ]


class OfficeWorkflowReportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_office(request.user) and not is_web_team(request.user)


@hooks.register("register_reports_menu_item")
def register_office_workflow_report():
    return OfficeWorkflowReportMenuItem(
        _("Review workflows of my units"),
        reverse("gongkai_office_workflow_report"),
        name="my-units-workflows",
        icon_name="tasks",
        order=690,
    )


@hooks.register("construct_reports_menu")
def hide_web_team_reports(request, menu_items):
    if is_web_team(request.user):
        return
    menu_items[:] = [item for item in menu_items if _url_name(item.url) not in WEB_TEAM_ONLY_VIEWS]


@hooks.register("register_help_menu_item")
def register_editor_guide():
    return MenuItem(
        _("Editor's guide"),
        reverse("gongkai_editor_guide"),
        name="gongkai-editor-guide",
        icon_name="help",
        order=100,
    )


# Wagtail's own help entries lead to its English pages on guide.wagtail.org.
OUTSIDE_HELP = {"editor-guide"}


@hooks.register("construct_help_menu")
def keep_help_inside(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in OUTSIDE_HELP and not item.name.startswith("whats-new-in-wagtail")
    ]


# --- user accounts: the web team manages them, only superusers make superusers ------------


def _without_superuser_flag(request):
    """Wagtail's user form offers "administrator" to anyone who may add users: drop it from
    what a non-superuser sends."""
    if (
        request.method == "POST"
        and not request.user.is_superuser
        and "is_superuser" in request.POST
    ):
        data = request.POST.copy()
        data.pop("is_superuser")
        request.POST = data


@hooks.register("before_create_user")
def no_superusers_made_by_others(request):
    _without_superuser_flag(request)


@hooks.register("before_edit_user")
def superusers_edited_by_superusers_only(request, user):
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    _without_superuser_flag(request)
