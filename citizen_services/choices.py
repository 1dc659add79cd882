"""The fixed vocabularies of requests and complaints.

Applicant types and reply outcomes are the columns and rows of the national annual report
(国办公开办函〔2021〕30号, table 3), one code per cell, so the report counts them directly."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural", _("Natural person")
    COMMERCIAL = "commercial", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    WELFARE = "welfare", _("Social welfare organisation")
    LEGAL_SERVICE = "legal_service", _("Legal service institution")
    OTHER_ORGANISATION = "other_org", _("Other organisation")

    @classmethod
    def organisations(cls):
        return [choice for choice in cls if choice != cls.NATURAL_PERSON]

    @classmethod
    def grouped(cls):
        """For select boxes: the report's two top-level columns."""
        return [
            (cls.NATURAL_PERSON.value, cls.NATURAL_PERSON.label),
            (
                _("Legal person or other organisation"),
                [(choice.value, choice.label) for choice in cls.organisations()],
            ),
        ]


class IdType(models.TextChoices):
    RESIDENT_ID = "id_card", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HMT_PERMIT = "hmt_permit", _("Hong Kong, Macao or Taiwan travel permit")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    OTHER = "other", _("Other document")


PERSON_ID_TYPES = {IdType.RESIDENT_ID, IdType.PASSPORT, IdType.HMT_PERMIT, IdType.OTHER}
ORGANISATION_ID_TYPES = {IdType.CREDIT_CODE, IdType.OTHER}


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("By post")
    EMAIL = "email", _("By email")
    PICKUP = "pickup", _("Collect in person")
    ONLINE = "online", _("Download on this website")


class Channel(models.TextChoices):
    """How an application reached the organ (2019 Regulations Art. 29: in writing, by letter,
    fax or e-mail, or online; in person when writing is hard)."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("By letter")
    FAX = "fax", _("By fax")
    EMAIL = "email", _("By e-mail")

    @classmethod
    def recorded_by_staff(cls):
        return [choice for choice in cls if choice != cls.ONLINE]


class Status(models.TextChoices):
    PROCESSING = "processing", _("Being processed")
    AWAITING_CLARIFICATION = "clarification", _("Awaiting the applicant's clarification")
    CONSULTING = "consulting", _("Third party being consulted")
    AWAITING_PAYMENT = "payment", _("Awaiting payment of the processing fee")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")

    @classmethod
    def open(cls):
        return [cls.PROCESSING, cls.AWAITING_CLARIFICATION, cls.CONSULTING, cls.AWAITING_PAYMENT]


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Application received")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    CLARIFICATION_RECEIVED = "clarification_received", _("Clarification received")
    CONSULTATION_SENT = "consultation_sent", _("Third party consulted")
    CONSULTATION_ANSWERED = "consultation_answered", _("Third party answered")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    FEE_NOTICE_SENT = "fee_notice_sent", _("Fee notice sent")
    FEE_PAID = "fee_paid", _("Fee paid")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class OutcomeGroup(models.TextChoices):
    """Rows (一)–(六) of 办理结果 in the annual report."""

    DISCLOSED = "disclosed", _("Disclosed")
    PARTLY_DISCLOSED = "partial", _("Partly disclosed")
    WITHHELD = "withheld", _("Not disclosed")
    UNAVAILABLE = "unavailable", _("Cannot be provided")
    NOT_PROCESSED = "not_processed", _("Not processed")
    OTHER = "other", _("Otherwise handled")


class Outcome(models.TextChoices):
    """The reply types, one for each outcome cell of the annual report."""

    DISCLOSED = "disclosed", _("Disclosed")
    PARTLY_DISCLOSED = "partial", _("Partly disclosed")
    # (三) 不予公开
    WITHHELD_STATE_SECRET = "withheld_secret", _("Not disclosed: state secret")
    WITHHELD_PROHIBITED = (
        "withheld_prohibited",
        _("Not disclosed: prohibited by laws and regulations"),
    )
    WITHHELD_SECURITY = (
        "withheld_security",
        _("Not disclosed: would endanger national, public, economic security or social stability"),
    )
    WITHHELD_THIRD_PARTY = (
        "withheld_third_party",
        _("Not disclosed: would harm a third party's lawful rights"),
    )
    WITHHELD_INTERNAL = "withheld_internal", _("Not disclosed: internal affairs (three kinds)")
    WITHHELD_PROCESS = "withheld_process", _("Not disclosed: process information (four kinds)")
    WITHHELD_ENFORCEMENT = (
        "withheld_enforcement",
        _("Not disclosed: administrative enforcement case files"),
    )
    WITHHELD_INQUIRY = "withheld_inquiry", _("Not disclosed: administrative inquiry matters")
    # (四) 无法提供
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("Cannot be provided: not held by this organ")
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable_creation",
        _("Cannot be provided: would have to be created or compiled"),
    )
    UNAVAILABLE_UNCLEAR = (
        "unavailable_unclear",
        _("Cannot be provided: still unclear after clarification"),
    )
    # (五) 不予处理
    NOT_PROCESSED_PETITION = "np_petition", _("Not processed: petition, report or complaint")
    NOT_PROCESSED_REPEAT = "np_repeat", _("Not processed: repeated application")
    NOT_PROCESSED_PUBLICATION = "np_publication", _("Not processed: asks for public publications")
    NOT_PROCESSED_MASS = (
        "np_mass",
        _("Not processed: large numbers of repeated applications without good reason"),
    )
    NOT_PROCESSED_CONFIRMATION = (
        "np_confirmation",
        _("Not processed: asks for confirmation or re-issue of information"),
    )
    # (六) 其他处理
    OTHER_NO_CLARIFICATION = (
        "other_no_clarification",
        _("Otherwise handled: no clarification within the time limit"),
    )
    OTHER_UNPAID = "other_unpaid", _("Otherwise handled: fee not paid within the time limit")
    OTHER = "other", _("Otherwise handled: other")

    @property
    def group(self):
        return outcome_group(self.value)

    @classmethod
    def grouped(cls):
        """For select boxes: the outcome codes under the report's rows."""
        groups = {}
        for choice in cls:
            groups.setdefault(outcome_group(choice.value), []).append((choice.value, choice.label))
        result = []
        for group, choices in groups.items():
            if len(choices) == 1:
                result.extend(choices)
            else:
                result.append((group.label, choices))
        return result


_GROUP_PREFIXES = (
    ("withheld_", OutcomeGroup.WITHHELD),
    ("unavailable_", OutcomeGroup.UNAVAILABLE),
    ("np_", OutcomeGroup.NOT_PROCESSED),
    ("other", OutcomeGroup.OTHER),
)


def outcome_group(code: str) -> OutcomeGroup | None:
    """The annual report row an outcome code is counted in."""
    if code == Outcome.DISCLOSED:
        return OutcomeGroup.DISCLOSED
    if code == Outcome.PARTLY_DISCLOSED:
        return OutcomeGroup.PARTLY_DISCLOSED
    for prefix, group in _GROUP_PREFIXES:
        if code.startswith(prefix):
            return group
    return None


class FeeBasis(models.TextChoices):
    """国办函〔2020〕109号 Art. 3: per request or per page, never both for one request."""

    PER_REQUEST = "per_request", _("Per request (more than 10 requests in a month)")
    PER_PAGE = "per_page", _("Per page (more than 30 pages)")


class ComplaintCategory(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint about disclosure work")
    REPORT = "report", _("Report of information that should be disclosed")
    ERROR = "error", _("Wrong or outdated information")
    SUGGESTION = "suggestion", _("Suggestion")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    REPLIED = "replied", _("Replied")
