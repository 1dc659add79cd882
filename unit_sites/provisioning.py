"""Provision a unit in one step (the 2009 notice: every unit gets its staff, login and password).

`provision_unit` is the one service that the management command, the admin form and the demo
loader all call. It runs in a single transaction: either the whole unit exists afterwards
(page, site or section, workspaces, groups, permissions, collection, accounts, and whatever
higher apps add through `register_provisioner`) or nothing does.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, Page, Site

from . import permissions
from .models import UnitGroup, UnitKind, UnitPage, UnitRole
from .presence import validate_hostname
from .validators import validate_credit_code

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")


class ProvisioningError(Exception):
    """Refused input; the message is shown to the web team as it is (Chinese)."""


@dataclass
class UnitSpec:
    slug: str
    name: str
    kind: str
    org_code: str
    parent_slug: str | None = None
    short_name: str = ""
    hostname: str | None = None  # own subsite at this hostname; None → a section of the parent
    port: int = 80
    address: str = ""
    phone: str = ""
    email: str = ""
    office_hours: str = ""
    complaint_channel: str = ""
    password: str | None = None  # for the first accounts; None → a random one per account


@dataclass
class ProvisionResult:
    unit: UnitPage
    created: bool
    accounts: dict[str, str] = field(default_factory=dict)  # username → password ("" = unchanged)
    message: str = ""


# Higher apps add their part of a new unit here (e.g. the catalogue, the workflow).
# Each is called as provisioner(unit, spec) inside the transaction and may return the
# workspace pages it created, on which the unit's staff get their permissions.
_provisioners: list[Callable] = []


def register_provisioner(func):
    if func not in _provisioners:
        _provisioners.append(func)
    return func


def roles_for(kind):
    roles = [UnitRole.EDITOR, UnitRole.REVIEWER, UnitRole.SECRECY]
    if kind in UnitKind.governments():
        roles.append(UnitRole.OFFICE)
    return roles


def account_name(spec_or_unit, role):
    slug, kind = spec_or_unit.slug, spec_or_unit.kind
    if role == UnitRole.OFFICE and kind == UnitKind.CITY_GOVERNMENT:
        return "gongkaiban"  # the city's disclosure office (市政务公开办)
    return f"{slug}-{role}"


def group_name(name, slug, role):
    return f"{name}（{slug}）{UnitRole(role).label}"


def _validate(spec: UnitSpec):
    """Every refusal happens here, before anything is written."""
    if not SLUG_RE.match(spec.slug or ""):
        raise ProvisioningError(
            _(
                "Invalid slug “%(slug)s”: use 1–50 lowercase letters, digits and hyphens, "
                "starting and ending with a letter or digit."
            )
            % {"slug": spec.slug}
        )
    if not (spec.name or "").strip():
        raise ProvisioningError(_("The unit name is required."))
    if spec.kind not in UnitKind.values:
        raise ProvisioningError(
            _("Unknown unit kind “%(kind)s”; choose one of: %(kinds)s.")
            % {"kind": spec.kind, "kinds": ", ".join(UnitKind.values)}
        )
    try:
        validate_credit_code(spec.org_code)
    except ValidationError as error:
        raise ProvisioningError(
            _("Invalid organisation code “%(code)s”: %(reason)s")
            % {"code": spec.org_code, "reason": " ".join(error.messages)}
        ) from None
    clash = UnitPage.objects.filter(org_code=spec.org_code).first()
    if clash:
        raise ProvisioningError(
            _("The organisation code %(code)s already belongs to %(unit)s.")
            % {"code": spec.org_code, "unit": clash.title}
        )

    parent = None
    if spec.parent_slug:
        parent = UnitPage.objects.filter(slug=spec.parent_slug).first()
        if parent is None:
            raise ProvisioningError(
                _("Unknown parent unit “%(slug)s”.") % {"slug": spec.parent_slug}
            )
        if parent.get_children().filter(slug=spec.slug).exists():
            raise ProvisioningError(
                _("The address “%(slug)s” is already taken under %(parent)s.")
                % {"slug": spec.slug, "parent": parent.title}
            )
    elif UnitPage.objects.filter(depth=2).exists():
        raise ProvisioningError(
            _("The portal unit already exists; give the new unit a parent unit.")
        )

    if spec.hostname:
        try:
            validate_hostname(spec.hostname, spec.port)
        except ValidationError as error:
            raise ProvisioningError(" ".join(error.messages)) from None
    elif parent is None:
        raise ProvisioningError(_("The portal unit needs a hostname of its own."))

    User = get_user_model()
    for role in roles_for(spec.kind):
        username = account_name(spec, role)
        if User.objects.filter(username=username).exists():
            raise ProvisioningError(
                _("The account “%(username)s” already exists.") % {"username": username}
            )
        if Group.objects.filter(name=group_name(spec.name.strip(), spec.slug, role)).exists():
            raise ProvisioningError(
                _("A group for “%(slug)s” already exists.") % {"slug": spec.slug}
            )
    return parent


def _remove_wagtail_welcome_site():
    """A fresh Wagtail install has a placeholder home page and site; the portal replaces them."""
    for site in Site.objects.filter(root_page__depth=2).select_related("root_page"):
        if type(site.root_page.specific) is Page:
            site.root_page.delete()
            site.delete()


def complete_unit(unit, spec=None):
    """Run every registered provisioner for a unit and open its workspaces to its staff.

    Provisioners are idempotent, so this also brings units provisioned by an older version up
    to date (a new app's part is added; nothing present is touched): see `sync_units`."""
    with transaction.atomic():
        for provisioner in _provisioners:
            provisioner(unit, spec)
        for workspace in unit.get_children().not_type(UnitPage):
            permissions.grant_workspace_permissions(unit, workspace)


def provision_unit(spec: UnitSpec) -> ProvisionResult:
    existing = UnitPage.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return ProvisionResult(
            unit=existing,
            created=False,
            message=_("Unit “%(slug)s” (%(name)s) already exists; nothing was changed.")
            % {"slug": spec.slug, "name": existing.title},
        )

    with transaction.atomic():
        if not spec.parent_slug:
            _remove_wagtail_welcome_site()  # rolled back with everything else on refusal
        parent = _validate(spec)
        parent_page = parent or Page.get_first_root_node()

        unit = UnitPage(
            title=spec.name.strip(),
            slug=spec.slug,
            short_name=spec.short_name,
            kind=spec.kind,
            org_code=spec.org_code,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            office_hours=spec.office_hours,
            complaint_channel=spec.complaint_channel,
        )
        parent_page.add_child(instance=unit)
        unit.save_revision(log_action="wagtail.create").publish(log_action="unit_sites.provision")

        if spec.hostname:
            Site.objects.create(
                hostname=spec.hostname,
                port=spec.port,
                root_page=unit,
                site_name=unit.title,
                is_default_site=parent is None,
            )

        permissions.ensure_web_team_group()
        unit.collection = Collection.get_first_root_node().add_child(
            name=f"{unit.title}（{unit.slug}）"
        )
        unit.save(update_fields=["collection"])

        accounts = {}
        User = get_user_model()
        shared_hash = make_password(spec.password) if spec.password else None
        for role in roles_for(spec.kind):
            group = Group.objects.create(name=group_name(unit.title, unit.slug, role))
            group.permissions.add(permissions.admin_access_permission())
            UnitGroup.objects.create(unit=unit, role=role, group=group)
            if role == UnitRole.OFFICE:
                permissions.grant_page_permissions(group, unit, permissions.OFFICE_PAGE_PERMISSIONS)
            password = spec.password or secrets.token_urlsafe(12)
            user = User(
                username=account_name(spec, role),
                first_name=f"{unit.display_name}{UnitRole(role).label}"[:150],
                # A shared password is hashed once for all of the unit's accounts.
                password=shared_hash or make_password(password),
            )
            user.save()
            user.groups.add(group)
            accounts[user.username] = password

        for office in permissions.offices_over(unit):
            permissions.grant_collection_permissions(
                office, unit.collection, permissions.COLLECTION_PERMISSIONS[UnitRole.OFFICE]
            )
        for unit_group in unit.role_groups.exclude(role=UnitRole.OFFICE).select_related("group"):
            permissions.grant_collection_permissions(
                unit_group.group,
                unit.collection,
                permissions.COLLECTION_PERMISSIONS[unit_group.role],
            )

        complete_unit(unit, spec)

        return ProvisionResult(
            unit=unit,
            created=True,
            accounts=accounts,
            message=_("Unit “%(slug)s” (%(name)s) was provisioned.")
            % {"slug": unit.slug, "name": unit.title},
        )
