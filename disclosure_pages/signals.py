from django.dispatch import receiver
from wagtail.signals import page_published, post_page_move

from .models import DisclosureItem


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    if isinstance(instance, DisclosureItem):
        instance.record_first_publication()


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    """A moved item may change unit or class; its 索引号 stays as it is."""
    for item in DisclosureItem.objects.descendant_of(instance, inclusive=True).specific():
        item._place_in_catalogue()
        DisclosureItem.objects.filter(pk=item.pk).update(
            unit=item.unit, catalogue_class=item.catalogue_class
        )
