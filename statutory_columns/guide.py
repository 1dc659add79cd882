"""The facts of a unit's 政府信息公开指南, read from the platform rather than typed into the page:
the unit's contact, where to apply and complain, the catalogue's classes, and the periods and
fees the platform itself applies (citizen_services.clock and .fees, review.deadlines)."""

from citizen_services import clock, fees
from citizen_services.models import ApplicationPage, ComplaintPage
from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage
from review.deadlines import PUBLICATION_LIMIT_WORKING_DAYS


def _child_url(unit, model, request):
    page = model.objects.child_of(unit).live().first()
    return page.get_url(request) if page is not None else ""


def guide_facts(guide, unit, request):
    if unit is None:
        return {}
    catalogue = CatalogueIndexPage.objects.child_of(unit).live().first()
    classes = (
        list(
            CatalogueClassPage.objects.child_of(catalogue)
            .live()
            .filter(not_applicable=False)
            .order_by("path")
            .values_list("title", flat=True)
        )
        if catalogue is not None
        else []
    )
    parent = unit.get_parent_unit()
    from .models import StatutoryContentPage

    return {
        "office": guide.office_name or unit.title,
        "address": unit.address,
        "office_hours": unit.office_hours,
        "phone": unit.phone,
        "fax": guide.fax,
        "postcode": guide.postcode,
        "email": unit.email,
        "complaint_channel": unit.complaint_channel,
        "parent_unit": parent.title if parent is not None else "",
        "catalogue_url": catalogue.get_url(request) if catalogue is not None else "",
        "classes": "、".join(classes),
        "class_count": len(classes),
        "statutory_url": _child_url(unit, StatutoryContentPage, request),
        "application_url": _child_url(unit, ApplicationPage, request),
        "complaint_url": _child_url(unit, ComplaintPage, request),
        "publication_days": PUBLICATION_LIMIT_WORKING_DAYS,
        "reply_days": clock.REPLY_LIMIT,
        "clarification_days": clock.CLARIFICATION_WINDOW,
        "consultation_days": clock.CONSULTATION_LIMIT,
        "extension_days": clock.EXTENSION,
        "payment_days": clock.PAYMENT_WINDOW,
        "free_requests": fees.FREE_REQUESTS_PER_MONTH,
        "free_pages": fees.FREE_PAGES,
    }
