"""The four fixed columns' part of provisioning a unit. Idempotent (it checks before it
creates), because `complete_unit` (sync_units) runs it again for units that existed before."""

from .models import AnnualReportIndexPage, GuidePage, RulesPage, StatutoryContentPage

# The conventional addresses and names (国办公开办函〔2019〕61号), in the order of the
# national layout: 指南, 制度, 法定主动公开内容, 年报.
GUIDE_SLUG = "gkzn"
RULES_SLUG = "gkzd"
STATUTORY_SLUG = "fdzdgknr"
REPORTS_SLUG = "gknb"

# The unit's rules as the platform applies them, the starting text of each unit's 制度 page
# (Art. 6 of the seed: every unit has them); the unit adds its own documents.
RULE_DEFAULTS = [
    (
        "政府信息公开审查制度",
        "review",
        "拟公开的政府信息经本机关审核岗审核后方可发布；未经审核的信息不得发布。",
    ),
    (
        "政府信息公开保密审查制度",
        "secrecy",
        "拟公开的政府信息发布前须经保密审查，依照《中华人民共和国保守国家秘密法》及有关规定确定能否公开。",
    ),
    (
        "政府信息发布制度",
        "publication",
        "属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开，"
        "并按规定编制索引号，纳入政府信息公开目录。",
    ),
    (
        "政府信息更新制度",
        "update",
        "政府信息发生变更或者失效的，及时更新其有效性标识并公开变更后的信息。",
    ),
    (
        "政府信息公开工作考核制度",
        "assessment",
        "政府信息公开工作纳入年度考核，接受上级政府信息公开工作主管部门的监督检查。",
    ),
]


def _add_page(unit, model, slug, **fields):
    if model.objects.child_of(unit).exists() or unit.get_children().filter(slug=slug).exists():
        return None
    page = model(slug=slug, **fields)
    unit.add_child(instance=page)
    page.save_revision().publish(log_action="unit_sites.provision")
    return page


def create_statutory_columns(unit, spec=None):
    """Provisioner: the unit's 指南, 制度, 法定主动公开内容 and 年报 columns."""
    _add_page(unit, GuidePage, GUIDE_SLUG, title="政府信息公开指南")
    _add_page(
        unit,
        RulesPage,
        RULES_SLUG,
        title="政府信息公开制度",
        rules=[
            ("rule", {"title": title, "topic": topic, "summary": summary, "document": None})
            for title, topic, summary in RULE_DEFAULTS
        ],
    )
    _add_page(unit, StatutoryContentPage, STATUTORY_SLUG, title="法定主动公开内容")
    _add_page(unit, AnnualReportIndexPage, REPORTS_SLUG, title="政府信息公开年报")
