"""The 监督考核 menu: inspections, ranking, scoring schemes and column update periods.

Schemes and update periods are plain ModelViewSets guarded by their model permissions (held
by the city office, see provisioning.py); the other views check units themselves (views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .models import ScoringScheme, UpdatePeriod
from .permissions import can_see_supervision, is_office

MENU_HOOK = "register_supervision_menu_item"


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path("supervision/", views.index, name="supervision_index"),
        path("supervision/inspections/", views.inspections, name="supervision_inspections"),
        path("supervision/inspections/run/", views.run_now, name="supervision_run_now"),
        path(
            "supervision/inspections/<int:run_id>/",
            views.inspection,
            name="supervision_inspection",
        ),
        path("supervision/ranking/", views.ranking_view, name="supervision_ranking"),
        path(
            "supervision/ranking/<int:scheme_id>/",
            views.ranking_view,
            name="supervision_ranking_scheme",
        ),
        path(
            "supervision/ranking/<int:scheme_id>/xlsx/",
            views.ranking_xlsx,
            name="supervision_ranking_xlsx",
        ),
        path(
            "supervision/ranking/<int:scheme_id>/bulletin/",
            views.bulletin_create,
            name="supervision_bulletin_create",
        ),
        path(
            "supervision/ranking/<int:scheme_id>/bulletin/<int:page_id>/",
            views.bulletin_print,
            name="supervision_bulletin_print",
        ),
        path(
            "supervision/ranking/<int:scheme_id>/units/<int:unit_id>/",
            views.unit_card,
            name="supervision_unit",
        ),
        path(
            "supervision/ranking/<int:scheme_id>/units/<int:unit_id>/adjust/",
            views.adjust,
            name="supervision_adjust",
        ),
    ]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_supervision(request.user)


class OfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return is_office(request.user)


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return SubmenuMenuItem(
        _("Supervision"),
        Menu(register_hook_name=MENU_HOOK),
        name="supervision",
        icon_name="clipboard-list",
        order=260,
    )


@hooks.register(MENU_HOOK)
def register_inspections_item():
    return SupervisionMenuItem(
        _("Self-inspections"), reverse("supervision_inspections"), icon_name="search", order=10
    )


@hooks.register(MENU_HOOK)
def register_ranking_item():
    return OfficeMenuItem(
        pgettext_lazy("supervision", "Ranking"),
        reverse("supervision_ranking"),
        icon_name="order",
        order=20,
    )


class ScoringSchemeViewSet(ModelViewSet):
    model = ScoringScheme
    icon = "list-ol"
    menu_label = _("Scoring schemes")
    menu_order = 30
    menu_hook = MENU_HOOK
    list_display = ["name", "period_start", "period_end"]
    copy_view_enabled = False
    inspect_view_enabled = False


class UpdatePeriodViewSet(ModelViewSet):
    model = UpdatePeriod
    icon = "time"
    menu_label = _("Column update periods")
    menu_order = 40
    menu_hook = MENU_HOOK
    list_display = ["catalogue_class", "days"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_supervision_viewsets():
    return [
        ScoringSchemeViewSet("supervision_schemes", url_prefix="supervision/schemes"),
        UpdatePeriodViewSet("supervision_periods", url_prefix="supervision/periods"),
    ]
