"""The admin form of SecuritySettings: roles as check boxes, stored as a JSON list."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


def _role_choices():
    from .models import two_factor_role_choices

    return two_factor_role_choices()


class SecuritySettingsForm(WagtailAdminModelForm):
    require_2fa_for_roles = forms.MultipleChoiceField(
        label=_("Require two-factor sign-in for"),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
