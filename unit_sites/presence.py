"""Where a unit is presented: its own subsite, or a section on its parent's site.

Switching keeps every page (only the Site record changes) and keeps old links working:
  - section → subsite: requests on the parent's host under /<slug>/ are redirected by the
    `before_serve_page` hook to the page's canonical site;
  - subsite → section: the old hostname is kept as a FormerHostname and redirected by
    `FormerHostnameRedirectMiddleware`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Site

from .models import FormerHostname, UnitPage

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def validate_hostname(hostname, port=80, *, unit=None):
    if not HOSTNAME_RE.match(hostname or ""):
        raise ValidationError(_("“%(hostname)s” is not a valid hostname.") % {"hostname": hostname})
    taken = Site.objects.filter(hostname=hostname, port=port)
    if unit is not None:
        taken = taken.exclude(root_page=unit)
    if taken.exists():
        raise ValidationError(
            _("The hostname %(hostname)s:%(port)s is already used by another site.")
            % {"hostname": hostname, "port": port}
        )


def move_to_own_site(unit: UnitPage, hostname: str, port: int = 80) -> Site:
    if unit.depth <= 2:
        raise ValidationError(_("The portal unit always has its own site."))
    if Site.objects.filter(root_page=unit).exists():
        raise ValidationError(_("This unit already has its own site."))
    validate_hostname(hostname, port)
    with transaction.atomic():
        FormerHostname.objects.filter(hostname=hostname).delete()
        return Site.objects.create(
            hostname=hostname, port=port, root_page=unit, site_name=unit.title
        )


def move_to_section(unit: UnitPage) -> None:
    site = Site.objects.filter(root_page=unit).first()
    if site is None:
        raise ValidationError(_("This unit is already a section of its parent's site."))
    if site.is_default_site or unit.depth <= 2:
        raise ValidationError(_("The portal unit always has its own site."))
    with transaction.atomic():
        FormerHostname.objects.update_or_create(hostname=site.hostname, defaults={"unit": unit})
        site.delete()
