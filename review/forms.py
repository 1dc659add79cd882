from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from .models import Withdrawal


class OverrideForm(forms.Form):
    finding_keys = forms.MultipleChoiceField(
        label=_("False positives"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Record why these findings are false positives.")},
    )

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding_keys"].choices = [
            (f["key"], f"{f['where']}：{f['label']} {f['value']}") for f in findings
        ]


class WithdrawalForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Withdrawal.Reason.choices)
    note = forms.CharField(
        label=_("Public explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    successor = forms.ModelChoiceField(
        label=_("Replaced by"),
        queryset=Page.objects.live(),
        widget=AdminPageChooser(),
        required=False,
    )
    filing_reason = forms.CharField(
        label=_("Reason filed with the disclosure office (Art. 9)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, needs_filing, may_use_secrecy, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_filing = needs_filing
        if not needs_filing:
            del self.fields["filing_reason"]
        if not may_use_secrecy:
            self.fields["reason"].choices = [
                choice
                for choice in Withdrawal.Reason.choices
                if choice[0] != Withdrawal.Reason.SECRECY
            ]

    def clean(self):
        data = super().clean()
        if self.needs_filing and not (data.get("filing_reason") or "").strip():
            self.add_error(
                "filing_reason",
                _(
                    "Removing functions or powers must be filed with the disclosure office, with a reason."
                ),
            )
        if data.get("reason") == Withdrawal.Reason.SUPERSEDED and not data.get("successor"):
            self.add_error("successor", _("Choose the item that replaces this one."))
        return data
