from wagtail import hooks

from unit_sites.models import UNIT_HOME_SECTIONS_HOOK

from .portal import home_sections


@hooks.register(UNIT_HOME_SECTIONS_HOOK)
def add_items_to_unit_home(unit, request):
    return home_sections(unit, request)


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    from django.utils.translation import gettext_lazy as _

    from .importing import LOG_ACTION

    actions.register_action(LOG_ACTION, _("Import"), _("Imported from a legacy platform"))
