"""The small admin forms with which handlers record what happened to an application."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.widgets import AdminDateInput

from .choices import Channel, EventKind, FeeBasis, Outcome
from .forms import ApplicationForm, MultipleFileField, clean_phone
from .uploads import ACCEPT, clean_upload


def _text(label, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CleanFileField(forms.FileField):
    """A PDF, JPEG or PNG, checked by content and stripped of metadata (uploads.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return None
        clean = clean_upload(uploaded)
        clean.content.name = clean.name
        return clean.content


class EventForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=AdminDateInput)

    def __init__(self, *args, kind, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name, field in self.extra_fields(kind).items():
            self.fields[name] = field

    @staticmethod
    def extra_fields(kind):
        if kind == EventKind.CLARIFICATION_REQUESTED:
            return {
                "message": _text(
                    _("What the applicant must clarify"),
                    help_text=_("Everything at once: clarification can be requested only once."),
                ),
                "document": CleanFileField(label=_("Clarification notice"), required=False),
            }
        if kind == EventKind.CLARIFICATION_RECEIVED:
            return {"note": _text(_("The clarification"), rows=4)}
        if kind == EventKind.CONSULTATION_SENT:
            return {
                "note": _text(_("Third party consulted, and what was asked")),
                "document": CleanFileField(label=_("Letter of consultation"), required=False),
            }
        if kind == EventKind.CONSULTATION_ANSWERED:
            return {
                "note": _text(_("The third party's opinion"), required=False),
                "document": CleanFileField(label=_("The third party's reply"), required=False),
            }
        if kind == EventKind.EXTENSION_REQUESTED:
            return {"note": _text(_("Reason for the extension"))}
        if kind == EventKind.EXTENSION_APPROVED:
            return {
                "message": _text(
                    _("Notice to the applicant"),
                    help_text=_("The applicant is told of the extension and its reason."),
                )
            }
        if kind == EventKind.FEE_NOTICE_SENT:
            return {
                "basis": forms.ChoiceField(label=_("Charged"), choices=FeeBasis.choices),
                "pages": forms.IntegerField(label=_("Pages"), min_value=0, required=False),
                "amount": forms.IntegerField(label=_("Amount (yuan)"), min_value=1),
                "message": _text(_("Fee notice to the applicant")),
            }
        if kind == EventKind.FEE_PAID:
            return {"note": _text(_("Receipt number and note"), required=False, rows=2)}
        if kind == EventKind.REPLIED:
            return {
                "outcome": forms.ChoiceField(
                    label=_("Reply type"), choices=[("", "---------"), *Outcome.grouped()]
                ),
                "reply_text": _text(_("Reply"), rows=8),
                "reply_document": CleanFileField(label=_("Reply document"), required=False),
                "public_summary": forms.CharField(
                    label=_("Public summary"),
                    max_length=200,
                    help_text=_("What was asked, without personal data: shown in the public log."),
                ),
                "message": _text(_("Message to the applicant"), required=False, rows=2),
            }
        if kind == EventKind.CLOSED:
            return {"note": _text(_("Note"), required=False, rows=2)}
        raise ValueError(kind)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return date

    def event_kwargs(self):
        """Keyword arguments for services.record_event."""
        data = self.cleaned_data
        kwargs = {
            "message": data.get("message", "") or "",
            "note": data.get("note", "") or "",
            "document": data.get("document"),
        }
        if self.kind == EventKind.REPLIED:
            kwargs.update(
                data={"outcome": data["outcome"]},
                reply_text=data["reply_text"],
                reply_document=data.get("reply_document"),
                public_summary=data["public_summary"],
            )
        if self.kind == EventKind.FEE_NOTICE_SENT:
            kwargs["data"] = {
                "basis": data["basis"],
                "pages": data.get("pages"),
                "amount": data["amount"],
            }
        return kwargs


class PublicSummaryForm(forms.Form):
    public_summary = forms.CharField(
        label=_("Public summary"),
        max_length=200,
        help_text=_("What was asked, without personal data: shown in the public log."),
    )


class ConvertForm(forms.Form):
    """Turn an answer into a proactive disclosure item (Art. 44)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    column = forms.ChoiceField(label=_("Catalogue class"))
    summary = forms.CharField(
        label=_("Summary"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(column.pk, column.title) for column in columns]


class ComplaintReplyForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=AdminDateInput)
    reply_text = _text(_("Reply"), rows=8)
    publish = forms.BooleanField(
        label=_("Publish the reply"),
        required=False,
        help_text=_("Shown on the unit's complaints page with the message as published below."),
    )
    public_question = _text(
        _("Message as published"),
        required=False,
        rows=4,
        help_text=_("Remove names, phone numbers and anything else personal before publishing."),
    )

    def clean(self):
        data = super().clean()
        if data.get("publish") and not (data.get("public_question") or "").strip():
            self.add_error("public_question", _("Give the message as it will be published."))
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("date", _("The date cannot be in the future."))
        return data


class OfflineApplicationForm(ApplicationForm):
    """An application received at the counter, by letter, fax or e-mail, as the unit's staff
    record it: the public form's fields and checks, plus the unit, the channel and the day it
    was received; the phone is optional (without one the applicant cannot follow it online)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    channel = forms.ChoiceField(label=pgettext_lazy("channel", "Received"), choices=())
    received_on = forms.DateField(
        label=_("Received on"),
        widget=AdminDateInput,
        help_text=_("For a letter, the day the unit signed for it (Art. 31)."),
    )
    attachments = MultipleFileField(
        label=_("Scans"),
        required=False,
        help_text=_("The letter, fax or form and any copies handed in: PDF, JPEG or PNG."),
    )

    field_order = ["unit", "channel", "received_on"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        self.fields["channel"].choices = [
            ("", "---------"),
            *[(choice.value, choice.label) for choice in Channel.recorded_by_staff()],
        ]
        self.fields["phone"].required = False

    @property
    def is_spam(self):
        return False

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        return clean_phone(value) if value else ""

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day
