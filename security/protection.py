"""Departed staff are deactivated, never deleted: an account that wrote revisions or appears
in the audit log keeps its row, so the record of who did what stays whole (Art. 11, 13)."""

from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, PageLogEntry, Revision


def has_history(user):
    return (
        Revision.objects.filter(user=user).exists()
        or PageLogEntry.objects.filter(user=user).exists()
        or ModelLogEntry.objects.filter(user=user).exists()
    )


def protected_message(user):
    return _(
        "“%(user)s” has edited content or appears in the audit log, so the account cannot be "
        "deleted. Deactivate it instead: it can no longer sign in and its history is kept."
    ) % {"user": user}


def refuse_deleting_users_with_history(sender, instance, **kwargs):
    if has_history(instance):
        raise ProtectedError(protected_message(instance), {instance})


def connect():
    from django.db.models.signals import pre_delete

    pre_delete.connect(
        refuse_deleting_users_with_history,
        sender=get_user_model(),
        dispatch_uid="security_protect_users",
    )
