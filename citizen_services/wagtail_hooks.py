"""The registers (wagtail-modeladmin) and the admin actions beside them.

Each register shows a user only the units they handle (permissions.py): a unit's editors and
reviewers their own unit, a disclosure office its government's units. Lists and exports
mask ID numbers and phone numbers; the detail view shows them to the handlers."""

from django.contrib.admin import SimpleListFilter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from unit_sites.modeladmin import ScopedHistoryView
from workdays.calendar import add_working_days

from . import admin_views
from .choices import ComplaintStatus, Status
from .exports import SafeExportIndexView
from .models import Complaint, InformationRequest, Rating
from .panels import CitizenDeadlinesPanel
from .permissions import can_approve_extension, can_handle, handled_units


@hooks.register("register_admin_urls")
def register_citizen_admin_urls():
    return [
        path(
            "citizen/requests/record/",
            admin_views.record_offline,
            name="citizen_request_record",
        ),
        path(
            "citizen/requests/<int:pk>/event/<str:kind>/",
            admin_views.record_event,
            name="citizen_request_event",
        ),
        path(
            "citizen/requests/<int:pk>/summary/",
            admin_views.edit_summary,
            name="citizen_request_summary",
        ),
        path(
            "citizen/requests/<int:pk>/publish/",
            admin_views.convert_to_item,
            name="citizen_request_publish",
        ),
        path(
            "citizen/requests/<int:pk>/files/<str:what>/",
            admin_views.download,
            name="citizen_request_file",
        ),
        path(
            "citizen/requests/<int:pk>/files/<str:what>/<int:file_pk>/",
            admin_views.download,
            name="citizen_request_file",
        ),
        path(
            "citizen/complaints/<int:pk>/reply/",
            admin_views.reply_to_complaint,
            name="citizen_complaint_reply",
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_citizen_deadlines_panel(request, panels):
    panels.append(CitizenDeadlinesPanel(request.user))


# --- shared pieces ---------------------------------------------------------------------------


class UnitScopedPermissionHelper(PermissionHelper):
    """Records are never created, edited or deleted through the generic views: applications
    come from the public form and change only by recorded events."""

    def user_can_list(self, user):
        return user.is_superuser or self.user_has_any_permissions(user)

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_list(user) and can_handle(user, obj.unit)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class UnitFilter(SimpleListFilter):
    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        unit_ids = model_admin.get_queryset(request).values("unit_id")
        return [
            (unit.pk, unit.title)
            for unit in handled_units(request.user).filter(pk__in=unit_ids).order_by("path")
        ]

    def queryset(self, request, queryset):
        return queryset.filter(unit_id=self.value()) if self.value() else queryset


class DeadlineFilter(SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"
    open_statuses = ()

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 5 working days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        running = queryset.filter(status__in=self.open_statuses, due_date__isnull=False)
        if self.value() == "overdue":
            return running.filter(due_date__lt=today)
        if self.value() == "soon":
            return running.filter(due_date__gte=today, due_date__lte=add_working_days(today, 5))
        return queryset


class RequestDeadlineFilter(DeadlineFilter):
    # Awaiting clarification, the clock is stopped: not overdue whatever the old date said.
    open_statuses = [s for s in Status.open() if s != Status.AWAITING_CLARIFICATION]


class ComplaintDeadlineFilter(DeadlineFilter):
    open_statuses = [ComplaintStatus.OPEN]


def _column(label, func):
    func.short_description = label
    return func


def _yes_no(value):
    if value is None:
        return ""
    return str(_("Yes")) if value else str(_("No"))


class ScopedAdmin(ModelAdmin):
    permission_helper_class = UnitScopedPermissionHelper
    index_view_class = SafeExportIndexView  # CSV safe from formula injection, with a BOM
    history_view_class = ScopedHistoryView
    inspect_view_enabled = True
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(unit__in=handled_units(request.user))
            .select_related("unit")
        )

    unit_name = _column(_("unit"), lambda self, obj: obj.unit.title)


# --- applications ----------------------------------------------------------------------------


class RequestInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.instance
        user = self.request.user
        context.update(
            application=application,
            clock=application.clock,
            history=list(
                zip(
                    application.events.select_related("recorded_by"),
                    application.clock.steps,
                    strict=True,
                )
            ),
            attachments=application.attachments.all(),
            actions=[
                (
                    kind.value,
                    kind.label,
                    reverse("citizen_request_event", args=[application.pk, kind]),
                )
                for kind in admin_views.available_events(user, application)
            ],
            approver=can_approve_extension(user, application.unit),
            overdue=application.is_overdue(),
            can_convert=application.outcome == "disclosed" and not application.converted_item_id,
        )
        return context


class InformationRequestAdmin(ScopedAdmin):
    model = InformationRequest
    menu_label = _("Applications for information")
    menu_icon = "form"
    inspect_view_class = RequestInspectView
    inspect_template_name = "citizen_services/admin/request_inspect.html"
    index_template_name = "citizen_services/admin/request_index.html"
    list_display = (
        "tracking_code",
        "received_on",
        "channel_display",
        "unit_name",
        "applicant_type_display",
        "name",
        "phone_display",
        "subject",
        "status_display",
        "due_date",
        "overdue_display",
        "outcome_display",
    )
    list_filter = (
        "status",
        RequestDeadlineFilter,
        "channel",
        "applicant_type",
        UnitFilter,
        "outcome",
    )
    search_fields = ("tracking_code", "name", "description", "public_summary")
    list_export = (
        "tracking_code",
        "unit_name",
        "received_on",
        "applicant_type_display",
        "name",
        "id_type_display",
        "id_number_display",
        "phone_display",
        "description",
        "public_summary",
        "delivery_display",
        "status_display",
        "due_date",
        "extended_display",
        "overdue_display",
        "replied_on",
        "on_time_display",
        "outcome_group_display",
        "outcome_display",
        "fee_yuan",
    )
    export_filename = "applications"

    channel_display = _column(_("channel"), lambda self, obj: obj.get_channel_display())
    applicant_type_display = _column(
        _("applicant type"), lambda self, obj: obj.get_applicant_type_display()
    )
    id_type_display = _column(_("identity document"), lambda self, obj: obj.get_id_type_display())
    id_number_display = _column(_("ID number"), lambda self, obj: obj.id_number_masked)
    phone_display = _column(_("phone"), lambda self, obj: obj.phone_masked)
    status_display = _column(_("status"), lambda self, obj: obj.get_status_display())
    outcome_display = _column(_("reply type"), lambda self, obj: obj.get_outcome_display())
    outcome_group_display = _column(_("outcome"), lambda self, obj: obj.outcome_group)
    extended_display = _column(_("extended"), lambda self, obj: _yes_no(obj.extended))
    on_time_display = _column(_("replied on time"), lambda self, obj: _yes_no(obj.on_time))
    overdue_display = _column(_("overdue"), lambda self, obj: _yes_no(obj.is_overdue()))
    delivery_display = _column(
        _("preferred form"),
        lambda self, obj: f"{obj.get_delivery_form_display()}，{obj.get_delivery_method_display()}",
    )


# --- complaints ------------------------------------------------------------------------------


class ComplaintInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            complaint=self.instance,
            overdue=self.instance.is_overdue(),
            reply_url=reverse("citizen_complaint_reply", args=[self.instance.pk]),
        )
        return context


class ComplaintAdmin(ScopedAdmin):
    model = Complaint
    menu_label = _("Complaints and suggestions")
    menu_icon = "mail"
    inspect_view_class = ComplaintInspectView
    inspect_template_name = "citizen_services/admin/complaint_inspect.html"
    list_display = (
        "tracking_code",
        "received_on",
        "unit_name",
        "category_display",
        "subject",
        "phone_display",
        "status_display",
        "due_date",
        "overdue_display",
        "replied_on",
    )
    list_filter = ("status", ComplaintDeadlineFilter, "category", UnitFilter, "reply_public")
    search_fields = ("tracking_code", "name", "subject", "content")
    list_export = (
        "tracking_code",
        "unit_name",
        "received_on",
        "category_display",
        "subject",
        "status_display",
        "due_date",
        "replied_on",
        "working_days_to_reply",
        "on_time_display",
        "reply_public",
    )
    export_filename = "complaints"

    category_display = _column(_("type"), lambda self, obj: obj.get_category_display())
    phone_display = _column(_("phone"), lambda self, obj: obj.phone_masked)
    status_display = _column(_("status"), lambda self, obj: obj.get_status_display())
    overdue_display = _column(_("overdue"), lambda self, obj: _yes_no(obj.is_overdue()))
    on_time_display = _column(_("replied on time"), lambda self, obj: _yes_no(obj.on_time))


# --- ratings ---------------------------------------------------------------------------------


class RatingAdmin(ScopedAdmin):
    model = Rating
    menu_label = _("Ratings")
    menu_icon = "pick"
    inspect_view_enabled = False
    list_display = ("created_at", "unit_name", "page_title", "useful_display", "comment")
    list_filter = ("useful", UnitFilter)
    search_fields = ("comment",)
    list_export = ("created_at", "unit_name", "page_title", "useful_display", "comment")
    export_filename = "ratings"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page")

    page_title = _column(_("page"), lambda self, obj: obj.page.title)
    useful_display = _column(_("useful"), lambda self, obj: _yes_no(obj.useful))


class CitizenServicesGroup(ModelAdminGroup):
    menu_label = _("Citizen services")
    menu_icon = "group"
    menu_order = 250
    items = (InformationRequestAdmin, ComplaintAdmin, RatingAdmin)


modeladmin_register(CitizenServicesGroup)
