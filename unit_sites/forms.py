from django import forms
from django.utils.translation import gettext_lazy as _

from .models import UnitKind, UnitPage


class ProvisionUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    slug = forms.CharField(
        label=_("Slug"),
        max_length=50,
        help_text=_("Lowercase letters, digits and hyphens; names the accounts and the address."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    org_code = forms.CharField(label=_("Organisation code"), max_length=18, min_length=18)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=UnitPage.objects.order_by("path"),
        required=False,
        help_text=_("Leave empty only for the portal (the city government)."),
    )
    hostname = forms.CharField(
        label=_("Own subsite hostname"),
        required=False,
        help_text=_("Leave empty to publish as a section of the parent unit's site."),
    )
    port = forms.IntegerField(label=_("Port"), initial=80, min_value=1, max_value=65535)
    address = forms.CharField(label=_("Address"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    office_hours = forms.CharField(label=_("Office hours"), required=False)
    complaint_channel = forms.CharField(
        label=_("Complaints and supervision"), widget=forms.Textarea, required=False
    )

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()

    def clean_hostname(self):
        return self.cleaned_data["hostname"].strip().lower() or None

    def clean_org_code(self):
        return self.cleaned_data["org_code"].strip().upper()
