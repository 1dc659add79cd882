"""The public forms: application, complaint, tracking, clarification, rating.

Every message says what is wrong and how to put it right; a form that fails keeps what the
citizen typed (except files, which browsers never send back: the form says so)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from review.screening import is_resident_id
from unit_sites.validators import validate_credit_code

from .choices import (
    ORGANISATION_ID_TYPES,
    PERSON_ID_TYPES,
    ApplicantType,
    DeliveryForm,
    DeliveryMethod,
    IdType,
)
from .models import Complaint, InformationRequest
from .services import APPLICATION_FIELDS
from .uploads import ACCEPT, MAX_FILE_SIZE, MAX_FILES, clean_upload

PHONE_RE = re.compile(
    r"^(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}(?:[- ]\d{1,6})?)$"
)
OTHER_ID_RE = re.compile(r"^[0-9A-Za-z()（）-]{4,40}$")


class HoneypotMixin(forms.Form):
    """A field people never see or fill (hidden by the template); bots fill every field."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self):
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_website(self):
        if self.cleaned_data.get("website", "").strip():
            raise ValidationError(_("This field must stay empty."))
        return ""


def clean_phone(value):
    value = (value or "").strip()
    if not PHONE_RE.match(value):
        raise ValidationError(
            _(
                "Enter a mobile number of 11 digits (e.g. 13812345678) or a landline with its "
                "area code (e.g. 0468-1234567)."
            )
        )
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    applicant_type = forms.ChoiceField(
        label=_("Applicant type"),
        choices=[("", "---------"), *ApplicantType.grouped()],
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Optional: up to %(count)s files (PDF, JPEG or PNG), each at most %(size)s MB, "
            "e.g. a copy of your identity document."
        )
        % {"count": MAX_FILES, "size": MAX_FILE_SIZE // (1024 * 1024)},
    )

    class Meta:
        model = InformationRequest
        fields = list(APPLICATION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "delivery_form": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons need no empty choice.
        self.fields["delivery_form"].choices = DeliveryForm.choices
        self.fields["delivery_method"].choices = DeliveryMethod.choices
        self.fields["phone"].required = True
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_id_number(self):
        return re.sub(r"\s", "", self.cleaned_data.get("id_number") or "").upper()

    def clean_description(self):
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) < 5:
            raise ValidationError(
                _("Describe the information you are asking for in a few more words.")
            )
        return text

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(clean_upload(uploaded))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def clean(self):
        data = super().clean()
        applicant_type = data.get("applicant_type")
        id_type = data.get("id_type")
        id_number = data.get("id_number")
        organisation = applicant_type and applicant_type != ApplicantType.NATURAL_PERSON
        if applicant_type and id_type:
            allowed = ORGANISATION_ID_TYPES if organisation else PERSON_ID_TYPES
            if id_type not in allowed:
                self.add_error(
                    "id_type",
                    _("An organisation identifies itself by its unified social credit code.")
                    if organisation
                    else _("A natural person identifies themselves by a personal document."),
                )
        if id_type and id_number:
            if id_type == IdType.RESIDENT_ID and not is_resident_id(id_number):
                self.add_error(
                    "id_number",
                    _(
                        "This is not a valid resident identity card number: check the 18 "
                        "characters (the last may be X)."
                    ),
                )
            elif id_type == IdType.CREDIT_CODE:
                try:
                    validate_credit_code(id_number)
                except ValidationError as error:
                    self.add_error("id_number", error)
            elif id_type not in (IdType.RESIDENT_ID, IdType.CREDIT_CODE) and not OTHER_ID_RE.match(
                id_number
            ):
                self.add_error(
                    "id_number", _("Enter the document number as it is printed (4–40 characters).")
                )
        if organisation and not (data.get("contact_person") or "").strip():
            self.add_error("contact_person", _("Give the name of a contact person."))
        method = data.get("delivery_method")
        form = data.get("delivery_form")
        if method == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an email address to receive the information by email."))
        if method == DeliveryMethod.POST and not (data.get("address") or "").strip():
            self.add_error(
                "address", _("Give a postal address to receive the information by post.")
            )
        if form == DeliveryForm.PAPER and method in (DeliveryMethod.EMAIL, DeliveryMethod.ONLINE):
            self.add_error(
                "delivery_method",
                _("Paper copies are sent by post or collected in person."),
            )
        return data


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=30)
    phone = forms.CharField(
        label=_("Phone number given in the application"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"


class ClarificationForm(forms.Form):
    text = forms.CharField(
        label=_("Your clarification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ComplaintForm(HoneypotMixin, forms.ModelForm):
    page_url = forms.URLField(
        label=_("Address of the page concerned"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Complaint
        fields = ["category", "name", "phone", "email", "subject", "content", "page_url"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_content(self):
        text = (self.cleaned_data.get("content") or "").strip()
        if len(text) < 5:
            raise ValidationError(_("Write your message in a few more words."))
        return text


class RatingForm(HoneypotMixin, forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this information useful?"),
        choices=[("yes", _("Useful")), ("no", _("Not useful"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
