from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import ProvisionUnitForm
from .provisioning import ProvisioningError, UnitSpec, provision_unit


class ProvisionUnitView(WagtailAdminTemplateMixin, FormView):
    """The web team's one-step form for a new unit (same service as `provision_unit`)."""

    form_class = ProvisionUnitForm
    template_name = "unit_sites/provision_form.html"
    page_title = _("Provision a unit")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("unit_sites.provision_unit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        parent = data.pop("parent")
        spec = UnitSpec(parent_slug=parent.slug if parent else None, **data)
        try:
            result = provision_unit(spec)
        except ProvisioningError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return TemplateResponse(
            self.request,
            "unit_sites/provision_done.html",
            {**self.get_context_data(form=form), "result": result},
        )
