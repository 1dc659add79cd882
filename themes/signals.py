"""A site's theme switch takes effect on the next request: nothing about it is cached beyond
a request. `theme_changed` lets a page cache drop that site's pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from core.loading import skips_loading
from themes.health import clear_problems
from themes.models import SiteThemeSettings

# Sent with `site` and `theme` (the new name) whenever a site's theme settings change.
theme_changed = Signal()


@receiver(post_save, sender=SiteThemeSettings)
@receiver(post_delete, sender=SiteThemeSettings)
@skips_loading
def _settings_changed(sender, instance, **kwargs):
    clear_problems(instance.theme)
    theme_changed.send(sender=SiteThemeSettings, site=instance.site, theme=instance.theme)
