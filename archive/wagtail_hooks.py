from wagtail import hooks


@hooks.register("register_log_actions")
def register_restore_log_action(actions):
    from django.utils.translation import gettext_lazy as _
    from django.utils.translation import pgettext_lazy

    from .restoring import LOG_ACTION

    actions.register_action(
        LOG_ACTION, pgettext_lazy("log action", "Restore"), _("Restored from an archive package")
    )
