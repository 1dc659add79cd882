"""Every change that can make a cached page stale schedules its purge (caching.purge)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from core.loading import skips_loading
from review.models import Withdrawal

from .purge import schedule_everything, schedule_page


@receiver(page_published)
@receiver(page_unpublished)
@skips_loading
def on_publication_change(sender, instance, **kwargs):
    schedule_page(instance)


@receiver(pre_page_move)
@skips_loading
def before_move(sender, instance, **kwargs):
    schedule_page(instance)  # where it was: its old address, unit and catalogue


@receiver(post_page_move)
@skips_loading
def after_move(sender, instance, **kwargs):
    schedule_page(Page.objects.get(pk=instance.pk).specific)


@receiver(post_save, sender=Withdrawal)
@skips_loading
def on_withdrawal(sender, instance, **kwargs):
    schedule_page(instance.page.specific)


@receiver(post_delete)
@skips_loading
def on_delete(sender, instance, **kwargs):
    # Deleting pages is rare and may remove a whole subtree: forget everything once.
    if isinstance(instance, (Page, Site, BaseSiteSetting, BaseGenericSetting)):
        schedule_everything()


@receiver(post_save)
@skips_loading
def on_site_or_setting_change(sender, instance, **kwargs):
    if isinstance(instance, (Site, BaseSiteSetting, BaseGenericSetting)):
        schedule_everything()


@receiver([post_save, post_delete], sender=PageViewRestriction)
@skips_loading
def on_view_restriction_change(sender, instance, **kwargs):
    schedule_everything()
