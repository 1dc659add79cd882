"""Sign-ins and permission changes in Wagtail's audit log (Reports > Site history).

The acting user comes from Wagtail's log context, which the admin sets for every admin view;
changes made outside the admin (commands, provisioning) are logged without one."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry

from core.loading import skips_loading

from . import lockout

ACTIONS = {
    "security.login": _("Signed in"),
    "security.logout": _("Signed out"),
    "security.login_failed": _("Failed sign-in"),
    "security.lockout": _("Sign-in locked out"),
    "security.2fa_enrolled": _("Authenticator app set up"),
    "security.2fa_failed": _("Wrong two-factor code"),
    "security.2fa_reset": _("Authenticator app removed"),
    "security.groups_changed": _("Groups changed"),
    "security.group_permissions_changed": _("Group permissions changed"),
    "security.page_permission_added": _("Page permission granted"),
    "security.page_permission_removed": _("Page permission revoked"),
    "security.collection_permission_added": _("Collection permission granted"),
    "security.collection_permission_removed": _("Collection permission revoked"),
    "security.user_activated": _("Account activated"),
    "security.user_deactivated": _("Account deactivated"),
    "security.superuser_granted": _("Superuser status granted"),
    "security.superuser_revoked": _("Superuser status revoked"),
}


def register_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


def _acting_user():
    user = get_active_log_context().user
    return user if user is not None and user.is_authenticated else None


def log_for_username(username, action, data):
    """Log against the account named, or (no such account) against the name alone."""
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    if user is not None:
        return log(user, action, user=None, data=data)
    # object_id "0" matches no row: the report shows the label, the name that was tried.
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id="0",
        label=(username or "?")[:150],
        action=action,
        data=data,
        timestamp=timezone.now(),
    )


# Sign-ins ------------------------------------------------------------------------------------


def on_login(sender, request, user, **kwargs):
    lockout.reset_user(user.get_username())
    if request is not None:
        from .twofactor import SESSION_KEY

        now = timezone.now().timestamp()
        request.session.pop(SESSION_KEY, None)
        request.session["security_login_at"] = now
        request.session["security_last_seen"] = now
    log(user, "security.login", user=user, data={"ip": lockout.client_ip(request)})


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        data = {"ip": lockout.client_ip(request)}
        reason = getattr(request, "_security_logout_reason", "")
        if reason:
            data["reason"] = reason
        log(user, "security.logout", user=user, data=data)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    ip = lockout.client_ip(request)
    if lockout.current_lock(username, ip):
        return  # refused without checking the password: not a guess
    log_for_username(username, "security.login_failed", {"ip": ip})
    for lock in lockout.register_failure(username, ip):
        log_for_username(username, "security.lockout", {"ip": ip, "scope": lock.kind})


# Permission changes --------------------------------------------------------------------------


def _names(model, pks):
    return sorted(str(obj) for obj in model.objects.filter(pk__in=pks or []))


@skips_loading
def on_user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # clear() gives no pk_set afterwards: remember what is being removed.
        instance._security_cleared = set(
            (instance.groups if not reverse else instance.user_set).values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_security_cleared", set())
    if not pk_set:
        return
    key = "added" if action == "post_add" else "removed"
    if not reverse:  # user.groups.add(...)
        users, groups = [instance], _names(Group, pk_set)
        log(users[0], "security.groups_changed", user=_acting_user(), data={key: groups})
    else:  # group.user_set.add(...)
        for user in get_user_model().objects.filter(pk__in=pk_set):
            log(user, "security.groups_changed", user=_acting_user(), data={key: [str(instance)]})


@skips_loading
def on_group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        codenames = sorted(instance.permissions.values_list("codename", flat=True))
        key = "removed"
    else:
        codenames = sorted(model.objects.filter(pk__in=pk_set).values_list("codename", flat=True))
        key = "added" if action == "post_add" else "removed"
    if codenames:
        log(
            instance,
            "security.group_permissions_changed",
            user=_acting_user(),
            data={key: codenames},
        )


def _object_permission_data(obj, target_field):
    target = getattr(obj, target_field, None)
    return {
        target_field: str(target) if target is not None else None,
        f"{target_field}_id": getattr(obj, f"{target_field}_id"),
        "permission": obj.permission.codename if obj.permission_id else None,
    }


def _on_object_permission(kind, target_field):
    def saved(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            log(
                instance.group,
                f"security.{kind}_permission_added",
                user=_acting_user(),
                data=_object_permission_data(instance, target_field),
            )

    def deleted(sender, instance, **kwargs):
        group = Group.objects.filter(pk=instance.group_id).first()
        if group is not None:  # not when the whole group is being deleted
            log(
                group,
                f"security.{kind}_permission_removed",
                user=_acting_user(),
                data=_object_permission_data(instance, target_field),
            )

    return skips_loading(saved), skips_loading(deleted)


page_permission_saved, page_permission_deleted = _on_object_permission("page", "page")
collection_permission_saved, collection_permission_deleted = _on_object_permission(
    "collection", "collection"
)


@skips_loading
def remember_user_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"is_active", "is_superuser"} & set(update_fields):
        return  # e.g. last_login on every sign-in: no extra query
    instance._security_before = (
        sender.objects.filter(pk=instance.pk).values("is_active", "is_superuser").first()
    )


@skips_loading
def log_user_flag_changes(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_security_before", None)
    if created or raw or not before:
        return
    instance._security_before = None
    log_flag_changes(instance, before)


def log_flag_changes(user, before, acting_user=None):
    acting_user = acting_user or _acting_user()
    if before["is_active"] != user.is_active:
        action = "security.user_activated" if user.is_active else "security.user_deactivated"
        log(user, action, user=acting_user)
    if "is_superuser" in before and before["is_superuser"] != user.is_superuser:
        action = "security.superuser_granted" if user.is_superuser else "security.superuser_revoked"
        log(user, action, user=acting_user)


def connect():
    User = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="security_login")
    user_logged_out.connect(on_logout, dispatch_uid="security_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="security_login_failed")
    m2m_changed.connect(
        on_user_groups_changed, sender=User.groups.through, dispatch_uid="security_user_groups"
    )
    m2m_changed.connect(
        on_group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="security_group_permissions",
    )
    for model, saved, deleted in (
        (GroupPagePermission, page_permission_saved, page_permission_deleted),
        (GroupCollectionPermission, collection_permission_saved, collection_permission_deleted),
    ):
        post_save.connect(saved, sender=model, dispatch_uid=f"security_{model.__name__}_saved")
        post_delete.connect(
            deleted, sender=model, dispatch_uid=f"security_{model.__name__}_deleted"
        )
    pre_save.connect(remember_user_flags, sender=User, dispatch_uid="security_user_before")
    post_save.connect(log_user_flag_changes, sender=User, dispatch_uid="security_user_after")
