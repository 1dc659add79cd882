"""Keep the segmenter's dictionary and the synonym table current in every process."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from core.loading import skips_loading

from .conf import search_config
from .segmentation import refresh_dictionary
from .synonyms import synonyms_changed


def _dictionary_models():
    try:
        return tuple(model for model, _fields in search_config().dictionary_sources())
    except LookupError:  # a configured app is not installed
        return ()


@skips_loading
def _on_page_change(sender, instance, **kwargs):
    if isinstance(instance, _dictionary_models()):
        refresh_dictionary()


@skips_loading
def _on_model_change(sender, instance, **kwargs):
    if isinstance(instance, _dictionary_models()):
        refresh_dictionary()


@skips_loading
def _on_synonym_change(sender, instance, **kwargs):
    synonyms_changed()


def connect():
    from .models import Synonym

    post_save.connect(_on_synonym_change, sender=Synonym, dispatch_uid="search_synonym_saved")
    post_delete.connect(_on_synonym_change, sender=Synonym, dispatch_uid="search_synonym_deleted")
    page_published.connect(_on_page_change, dispatch_uid="search_dictionary_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="search_dictionary_unpublished")
    for model in _dictionary_models():
        if not issubclass(model, Page):
            post_save.connect(_on_model_change, sender=model, dispatch_uid=f"search_dict_{model}")
            post_delete.connect(
                _on_model_change, sender=model, dispatch_uid=f"search_dict_d_{model}"
            )
