"""The admin form of disclosure items."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class DisclosureItemForm(WagtailAdminPageForm):
    """The slug may be left empty: the item then gets a short ASCII one of its own
    (DisclosureItem.default_slug), not 300 percent-encoded characters made of its title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The item's name in its address. Leave empty for a short one made automatically."
            )
