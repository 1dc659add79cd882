"""StreamField blocks shared by disclosure pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    # Handsontable 6 ships only an en-US dictionary: with the admin's zh-hans it logs an error.
    table = TableBlock(label=_("Table"), table_options={"language": "en-US"})
    image = ImageChooserBlock(label=_("Image"))
    document = DocumentChooserBlock(label=_("Document link"))


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Attachment")


class MaterialBlock(blocks.StructBlock):
    """One item of a complete list of materials to submit (Art. 8 (2))."""

    name = blocks.CharBlock(label=_("Material"))
    copies = blocks.CharBlock(label=_("Copies and form"), required=False)
    note = blocks.CharBlock(label=_("Note"), required=False)
    sample = DocumentChooserBlock(label=_("Sample"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Material")


class LeaderBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"))
    position = blocks.CharBlock(label=_("Job title"))
    responsibilities = blocks.TextBlock(label=_("Responsibilities"), required=False)
    photo = ImageChooserBlock(label=_("Photo"), required=False)

    class Meta:
        icon = "user"
        label = _("Leader")


class InternalBodyBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"))
    duties = blocks.TextBlock(label=_("Duties"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), required=False)

    class Meta:
        icon = "group"
        label = _("Internal body")


class GoalBlock(blocks.StructBlock):
    """An annual goal and how far it has got (Art. 8 (17))."""

    goal = blocks.CharBlock(label=_("Goal"))
    progress = blocks.IntegerBlock(label=_("Progress (%)"), min_value=0, max_value=100, default=0)
    status = blocks.CharBlock(label=_("Status"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Goal")


class PositionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Position"))
    number = blocks.IntegerBlock(label=_("Number of places"), min_value=1)
    requirements = blocks.TextBlock(label=_("Requirements"), required=False)

    class Meta:
        icon = "user"
        label = _("Position")
