"""Art. 44: information released on request can be published proactively. One action turns an
application answered 予以公开 into a draft item in the unit's catalogue and submits it to the
unit's review workflow, like any other item (screening, review, secrecy review)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure_pages.models import (
    CatalogueClassPage,
    CatalogueIndexPage,
    DisclosureMode,
    GeneralItemPage,
)

from .choices import Outcome


class ConversionError(Exception):
    """Refused; the message is shown to the handler as it is."""


def catalogue_columns(unit):
    catalogue = CatalogueIndexPage.objects.child_of(unit).first()
    if catalogue is None:
        return []
    return list(
        CatalogueClassPage.objects.child_of(catalogue).select_related("node").order_by("path")
    )


def convert(application, *, user, column, title, summary=""):
    if application.outcome != Outcome.DISCLOSED:
        raise ConversionError(
            _("Only information disclosed in full can be published proactively from here.")
        )
    if application.converted_item_id:
        raise ConversionError(_("This application was already turned into a disclosure item."))
    if column.pk not in {c.pk for c in catalogue_columns(application.unit)}:
        raise ConversionError(_("Choose a class of this unit's own catalogue."))
    if not column.permissions_for_user(user).can_add_subpage():
        raise ConversionError(_("You may not add items to this catalogue."))
    with transaction.atomic():
        page = GeneralItemPage(
            title=title,
            slug=f"ysqgk-{application.tracking_code.lower()}",
            summary=summary,
            disclosure_mode=DisclosureMode.PROACTIVE,
            formed_date=timezone.localdate(),
            live=False,
            owner=user,
        )
        column.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        application.converted_item = page
        application.save(update_fields=["converted_item"])
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, user)
    return page
