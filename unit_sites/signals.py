from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import FORMER_HOSTNAMES_CACHE_KEY
from .models import FormerHostname


@receiver([post_save, post_delete], sender=FormerHostname)
def forget_former_hostnames(**kwargs):
    cache.delete(FORMER_HOSTNAMES_CACHE_KEY)
