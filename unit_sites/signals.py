from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from core.loading import skips_loading

from . import structure
from .models import FormerHostname

# Changes that alter what public requests read from unit_sites.structure.
STRUCTURE_MODELS = (Site, BaseSiteSetting, BaseGenericSetting, PageViewRestriction, FormerHostname)


@receiver(post_save)
@receiver(post_delete)
@skips_loading
def on_structure_change(sender, instance, **kwargs):
    if isinstance(instance, STRUCTURE_MODELS):
        structure.bump()
    elif isinstance(instance, Page) and _changes_structure(instance, kwargs):
        structure.bump()


def _changes_structure(page, kwargs):
    """Any page but an item (those declare `structure_page = False`): units, catalogues and
    citizen pages are read from memory. A deletion, an alias: always."""
    if "created" not in kwargs:  # post_delete
        return True
    return getattr(page, "structure_page", True) or page.alias_of_id is not None


@receiver(post_page_move)
@skips_loading
def on_move(sender, **kwargs):
    structure.bump()  # tree paths changed: site roots and restricted pages may have moved
