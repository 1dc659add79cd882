from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.loading import skips_loading
from unit_sites import structure

from .catalogue import forget_facets
from .models import CatalogueNode, DisclosureItem


@receiver(page_published)
@skips_loading
def on_publish(sender, instance, **kwargs):
    if isinstance(instance, DisclosureItem):
        instance.record_first_publication()
        forget_facets(instance.unit_id)


@receiver(page_unpublished)
@skips_loading
def on_unpublish(sender, instance, **kwargs):
    if isinstance(instance, DisclosureItem):
        forget_facets(instance.unit_id)


@receiver(post_delete)
@skips_loading
def on_delete(sender, instance, **kwargs):
    if isinstance(instance, DisclosureItem):
        forget_facets(instance.unit_id)


@receiver(post_page_move)
@skips_loading
def on_move(sender, instance, **kwargs):
    """A moved item may change unit or class; its 索引号 stays as it is."""
    for item in DisclosureItem.objects.descendant_of(instance, inclusive=True).specific():
        old_unit_id = item.unit_id
        item._place_in_catalogue()
        DisclosureItem.objects.filter(pk=item.pk).update(
            unit=item.unit, catalogue_class=item.catalogue_class
        )
        forget_facets(old_unit_id)
        forget_facets(item.unit_id)


@receiver([post_save, post_delete], sender=CatalogueNode)
@skips_loading
def on_taxonomy_change(sender, **kwargs):
    structure.bump()  # node names are kept in memory (models.base.catalogue_node_names)
