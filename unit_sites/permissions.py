"""Who may do what, where: the role → permission tables and the functions that apply them.

Unit staff (editors, reviewers, secrecy reviewers) get permissions on the unit's *workspaces*
(its non-unit child pages, e.g. the catalogue), never on the unit page itself, because a
permission on a page covers its whole subtree and a unit's subtree holds its sub-units.
Disclosure offices get permissions on their government's unit page: they oversee the
units below it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import UnitGroup, UnitKind, UnitPage, UnitRole

User = get_user_model()

WORKSPACE_PAGE_PERMISSIONS = {
    UnitRole.EDITOR: ("add", "change"),
    UnitRole.REVIEWER: ("change",),
    UnitRole.SECRECY: ("change",),
}
OFFICE_PAGE_PERMISSIONS = ("add", "change", "lock", "unlock")

COLLECTION_PERMISSIONS = {
    UnitRole.EDITOR: (
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
    ),
    UnitRole.REVIEWER: ("change_document", "choose_document", "change_image", "choose_image"),
    UnitRole.SECRECY: ("change_document", "choose_document", "change_image", "choose_image"),
}
COLLECTION_PERMISSIONS[UnitRole.OFFICE] = COLLECTION_PERMISSIONS[UnitRole.EDITOR]

WEB_TEAM_GROUP_NAME = "政务信息中心"
WEB_TEAM_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")
WEB_TEAM_USERS = ("add", "change", "view")  # deactivating is a change; nothing is deleted


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def admin_access_permission():
    return _permission("wagtailadmin", "access_admin")


def grant_page_permissions(group, page, permission_types):
    for permission_type in permission_types:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", f"{permission_type}_page")
        )


def grant_collection_permissions(group, collection, codenames):
    for codename in codenames:
        app_label = "wagtaildocs" if codename.endswith("_document") else "wagtailimages"
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def grant_workspace_permissions(unit: UnitPage, workspace: Page):
    """Let the unit's staff work in one of its workspaces (e.g. its catalogue)."""
    for unit_group in unit.role_groups.exclude(role=UnitRole.OFFICE).select_related("group"):
        grant_page_permissions(
            unit_group.group, workspace, WORKSPACE_PAGE_PERMISSIONS[unit_group.role]
        )


def offices_over(unit: UnitPage):
    """Disclosure-office groups of the unit's own government and every government above it."""
    return Group.objects.filter(
        unit_role__role=UnitRole.OFFICE,
        unit_role__unit__in=UnitPage.objects.ancestor_of(unit, inclusive=True),
    )


def ensure_web_team_group():
    """The city's web team (政务信息中心, Art. 11, 13) runs the whole platform."""
    group, created = Group.objects.get_or_create(name=WEB_TEAM_GROUP_NAME)
    if created:
        group.permissions.add(
            admin_access_permission(),
            _permission("unit_sites", "provision_unit"),
            _permission("wagtailcore", "add_site"),
            _permission("wagtailcore", "change_site"),
            _permission("wagtailcore", "add_collection"),
            _permission("wagtailcore", "change_collection"),
        )
        grant_page_permissions(group, Page.get_first_root_node(), WEB_TEAM_PAGE_PERMISSIONS)
        grant_collection_permissions(
            group, Collection.get_first_root_node(), COLLECTION_PERMISSIONS[UnitRole.EDITOR]
        )
    # Kept up to date on every call (an older group gets what was added since): each site's
    # theme, footer and filing numbers, the public search's synonyms, and user accounts
    # (create, deactivate, reset a second factor). Never superuser rights: Wagtail lets only
    # superusers make superusers.
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="themes", codename__endswith="_sitethemesettings")
            | Q(content_type__app_label="search", codename__endswith="_synonym")
            | Q(
                content_type__app_label=User._meta.app_label,
                codename__in=[f"{action}_{User._meta.model_name}" for action in WEB_TEAM_USERS],
            )
        )
    )
    return group


def unit_group(unit, role):
    return UnitGroup.objects.select_related("group").get(unit=unit, role=role).group


def grant_office_permissions(unit, app_label, codenames, *, city_only=False):
    """Give the unit's disclosure-office group (if it has one) model permissions of an app.

    Provisioners of other apps call this: a platform-wide table (the calendar, the synonyms)
    belongs to the city office only (`city_only`); registers go to every office."""
    if city_only and unit.kind != UnitKind.CITY_GOVERNMENT:
        return
    office = unit.role_groups.filter(role=UnitRole.OFFICE).select_related("group").first()
    if office is not None:
        office.group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
