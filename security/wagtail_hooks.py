from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import audit, protection, twofactor, views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("2fa/verify/", views.verify, name="security_2fa_verify"),
        path("2fa/setup/", views.setup, name="security_2fa_setup"),
        path(
            "security/users/<int:user_id>/deactivate/",
            views.deactivate_user,
            name="security_deactivate_user",
        ),
        path("security/users/<int:user_id>/reset-2fa/", views.reset_2fa, name="security_reset_2fa"),
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_account_menu_item")
def authenticator_app_menu_item(request):
    return {
        "url": reverse("security_2fa_setup"),
        "label": _("Authenticator app"),
        "help_text": _(
            "Confirm each sign-in with a code from an app on your phone (two-factor sign-in)."
        ),
    }


@hooks.register("before_delete_user")
def refuse_deleting_users_with_history(request, user):
    if protection.has_history(user):
        messages.error(request, protection.protected_message(user))
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_users_with_history(request, action_type, objects, action_class_instance):
    User = get_user_model()
    if action_type != "delete" or not objects or not isinstance(objects[0], User):
        return None
    protected = [user for user in objects if protection.has_history(user)]
    if protected:
        for user in protected:
            messages.error(request, protection.protected_message(user))
        return redirect("wagtailusers_users:index")
    return None


@hooks.register("after_bulk_action")
def log_bulk_activation(request, action_type, objects, action_class_instance):
    # Wagtail's bulk "set active state" uses QuerySet.update(): no signals to log from.
    User = get_user_model()
    if action_type != "set_active_state" or not objects or not isinstance(objects[0], User):
        return None
    now_active = dict(
        User.objects.filter(pk__in=[user.pk for user in objects]).values_list("pk", "is_active")
    )
    for user in objects:
        before = {"is_active": user.is_active}
        user.is_active = now_active.get(user.pk, user.is_active)
        audit.log_flag_changes(user, before, acting_user=request.user)
    return None


@hooks.register("register_user_listing_buttons")
def user_listing_buttons(user, request_user):
    User = get_user_model()
    if not request_user.has_perm(f"{User._meta.app_label}.change_{User._meta.model_name}"):
        return []
    if user.is_superuser and not request_user.is_superuser:
        return []
    buttons = []
    if user.is_active and user != request_user:
        buttons.append(
            Button(
                _("Deactivate"),
                reverse("security_deactivate_user", args=[user.pk]),
                icon_name="lock",
                priority=60,
            )
        )
    if twofactor.device_of(user) is not None:
        buttons.append(
            Button(
                _("Remove authenticator app"),
                reverse("security_reset_2fa", args=[user.pk]),
                icon_name="key",
                priority=70,
            )
        )
    return buttons


@hooks.register("gongkai_check_imported_file")
def check_imported_file(path):
    """Imported attachments are checked by content like uploads (disclosure_pages.importing)."""
    from django.core.files import File

    from .uploads import check_document

    with open(path, "rb") as handle:
        check_document(File(handle, name=path.name))
