from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    """The synonym table, edited by the disclosure office (Snippets → Search synonyms)."""

    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["term", "expansions", "two_way", "note"]
    list_filter = ["two_way"]
    search_fields = ["term", "expansions"]
    list_export = ["term", "expansions", "two_way", "note"]
    ordering = ["term"]


register_snippet(SynonymViewSet)
