from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .choices import Outcome

WITHHELD_REASONS = [
    (choice.value, choice.label) for choice in Outcome if choice.startswith("withheld_")
]


class WithheldClassBlock(blocks.StructBlock):
    """One class of information not disclosed, with its statutory ground (the same codes as
    the reply type 不予公开, so an explanation and a refusal cite the same reason)."""

    title = blocks.CharBlock(label=_("Class of information"))
    reason = blocks.ChoiceBlock(label=_("Ground"), choices=WITHHELD_REASONS)
    legal_basis = blocks.CharBlock(label=_("Legal basis"), required=False)
    explanation = blocks.TextBlock(label=_("Explanation"))

    class Meta:
        icon = "warning"
        label = _("Class of information not disclosed")
        template = "citizen_services/blocks/withheld_class.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["reason_label"] = dict(WITHHELD_REASONS).get(value.get("reason"), "")
        return context
