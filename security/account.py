"""The admin's account page without Wagtail's demand for a family name and an e-mail address.

Wagtail's "Name and Email" panel requires first name, last name and e-mail. Accounts
provisioned for units carry one name (a Chinese name, or the unit and role, in first_name) and
often no e-mail; since the account page saves every panel at once, such users could not even
change their password. Here the name panel asks for a name only: the family name and the
e-mail stay optional. Routed at the admin's own account URL (cms/urls.py, before Wagtail's).
"""

from django.utils.translation import pgettext_lazy
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import AccountView, NameEmailSettingsPanel


class NameForm(NameEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].label = pgettext_lazy("person", "Name")
        self.fields["last_name"].required = False
        if "email" in self.fields:
            self.fields["email"].required = False


class NameSettingsPanel(NameEmailSettingsPanel):
    form_class = NameForm


class GongkaiAccountView(AccountView):
    def get_panels(self):
        return [
            NameSettingsPanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]
