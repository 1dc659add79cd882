"""Citizen services' part of provisioning a unit: its public pages and its staff's registers.

Every function is idempotent (it checks before it creates), because `complete_unit` runs it
again for units that existed before this app."""

from django.contrib.auth.models import Permission

from unit_sites.models import UnitRole

from .models import ApplicationPage, ComplaintPage, WithheldInfoPage

APPLICATION_SLUG = "ysqgk"  # 依申请公开
COMPLAINT_SLUG = "tsjd"  # 投诉监督
WITHHELD_SLUG = "bygk"  # 不予公开

# The statutory classes of information not disclosed (2019 Regulations Art. 14–16, 36 (7)),
# as each unit's starting text; the unit edits them to its own information.
WITHHELD_DEFAULTS = [
    (
        "依法确定为国家秘密的政府信息",
        "withheld_secret",
        "《中华人民共和国政府信息公开条例》第十四条",
        "依法确定为国家秘密的政府信息，不予公开。",
    ),
    (
        "法律、行政法规禁止公开的政府信息",
        "withheld_prohibited",
        "《中华人民共和国政府信息公开条例》第十四条",
        "法律、行政法规禁止公开的政府信息，不予公开。",
    ),
    (
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
        "withheld_security",
        "《中华人民共和国政府信息公开条例》第十四条",
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。",
    ),
    (
        "涉及商业秘密、个人隐私等的政府信息",
        "withheld_third_party",
        "《中华人民共和国政府信息公开条例》第十五条",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，不予公开；第三方同意公开或者"
        "不公开会对公共利益造成重大影响的，予以公开。",
    ),
    (
        "内部事务信息",
        "withheld_internal",
        "《中华人民共和国政府信息公开条例》第十六条第一款",
        "人事管理、后勤管理、内部工作流程等方面的内部事务信息，可以不予公开。",
    ),
    (
        "过程性信息",
        "withheld_process",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        "履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开；"
        "法律、法规、规章规定应当公开的，从其规定。",
    ),
    (
        "行政执法案卷信息",
        "withheld_enforcement",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        "行政执法案卷信息可以不予公开；法律、法规、规章规定应当公开的，从其规定。",
    ),
    (
        "行政查询事项",
        "withheld_inquiry",
        "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
        "工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，请依照其规定办理查询。",
    ),
]


def _add_page(unit, model, slug, **fields):
    if model.objects.child_of(unit).exists() or unit.get_children().filter(slug=slug).exists():
        return None
    page = model(slug=slug, **fields)
    unit.add_child(instance=page)
    page.save_revision().publish(log_action="unit_sites.provision")
    return page


def create_citizen_pages(unit, spec=None):
    """Provisioner: the unit's application form, complaint form and withheld-information page."""
    _add_page(unit, ApplicationPage, APPLICATION_SLUG, title="依申请公开")
    _add_page(unit, ComplaintPage, COMPLAINT_SLUG, title="投诉监督")
    _add_page(
        unit,
        WithheldInfoPage,
        WITHHELD_SLUG,
        title="不予公开信息说明",
        intro="<p>根据《中华人民共和国政府信息公开条例》，下列政府信息不予公开。"
        "对不予公开的决定有异议的，可以依法申请行政复议或者提起行政诉讼。</p>",
        classes=[
            (
                "withheld_class",
                {
                    "title": title,
                    "reason": reason,
                    "legal_basis": basis,
                    "explanation": explanation,
                },
            )
            for title, reason, basis, explanation in WITHHELD_DEFAULTS
        ],
    )


REGISTER_PERMISSIONS = ("view_informationrequest", "view_complaint", "view_rating")


def grant_register_permissions(unit, spec=None):
    """Provisioner: the unit's editors and reviewers, and its disclosure office, may open the
    registers (which show each of them only the units they handle: permissions.py)."""
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="citizen_services", codename__in=REGISTER_PERMISSIONS
        )
    )
    for role_group in unit.role_groups.filter(
        role__in=[UnitRole.EDITOR, UnitRole.REVIEWER, UnitRole.OFFICE]
    ).select_related("group"):
        role_group.group.permissions.add(*permissions)
