"""The demo platform: the real structure of Hegang (鹤岗市), its districts, counties and
departments. `load_demo` provisions each unit through the same service as the web team uses,
so the demo is also an end-to-end check of provisioning. Loading twice duplicates nothing."""

from django.contrib.auth import get_user_model

from unit_sites.models import UnitKind, UnitPage
from unit_sites.permissions import ensure_web_team_group
from unit_sites.provisioning import UnitSpec, complete_unit, provision_unit
from unit_sites.validators import make_credit_code

# Hegang's administrative division code is 230400; districts and counties have their own.
# (slug, name, short name, kind, parent slug, own subsite?, division code)
DEMO_UNITS = [
    ("hegang", "鹤岗市人民政府", "鹤岗市", UnitKind.CITY_GOVERNMENT, None, True, "230400"),
    ("xiangyang", "向阳区人民政府", "向阳区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230402"),
    ("gongnong", "工农区人民政府", "工农区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230403"),
    ("nanshan", "南山区人民政府", "南山区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230404"),
    ("xingan", "兴安区人民政府", "兴安区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230405"),
    ("dongshan", "东山区人民政府", "东山区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230406"),
    ("xingshan", "兴山区人民政府", "兴山区", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230407"),
    ("luobei", "萝北县人民政府", "萝北县", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230421"),
    ("suibin", "绥滨县人民政府", "绥滨县", UnitKind.COUNTY_GOVERNMENT, "hegang", True, "230422"),
    # City departments: most are sections of the portal, a few run their own subsite.
    ("fgw", "鹤岗市发展和改革委员会", "市发改委", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    ("jyj", "鹤岗市教育局", "市教育局", UnitKind.DEPARTMENT, "hegang", True, "230400"),
    ("gaj", "鹤岗市公安局", "市公安局", UnitKind.DEPARTMENT, "hegang", True, "230400"),
    ("czj", "鹤岗市财政局", "市财政局", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    (
        "rsj",
        "鹤岗市人力资源和社会保障局",
        "市人社局",
        UnitKind.DEPARTMENT,
        "hegang",
        False,
        "230400",
    ),
    ("zrzyj", "鹤岗市自然资源局", "市自然资源局", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    ("zjj", "鹤岗市住房和城乡建设局", "市住建局", UnitKind.DEPARTMENT, "hegang", True, "230400"),
    ("wjw", "鹤岗市卫生健康委员会", "市卫健委", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    (
        "scjgj",
        "鹤岗市市场监督管理局",
        "市市场监管局",
        UnitKind.DEPARTMENT,
        "hegang",
        False,
        "230400",
    ),
    ("sfj", "鹤岗市司法局", "市司法局", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    ("zwgkb", "鹤岗市人民政府办公室", "市政府办", UnitKind.DEPARTMENT, "hegang", False, "230400"),
    ("slsw", "鹤岗市自来水公司", "市自来水公司", UnitKind.INSTITUTION, "hegang", False, "230400"),
    # Departments of districts and counties: sections of their government's site.
    ("luobei-jyj", "萝北县教育局", "县教育局", UnitKind.DEPARTMENT, "luobei", False, "230421"),
    (
        "luobei-nyj",
        "萝北县农业农村局",
        "县农业农村局",
        UnitKind.DEPARTMENT,
        "luobei",
        False,
        "230421",
    ),
    ("suibin-mzj", "绥滨县民政局", "县民政局", UnitKind.DEPARTMENT, "suibin", False, "230422"),
    (
        "xiangyang-mzj",
        "向阳区民政局",
        "区民政局",
        UnitKind.DEPARTMENT,
        "xiangyang",
        False,
        "230402",
    ),
]

CATEGORY_PREFIX = {
    UnitKind.CITY_GOVERNMENT: "11",
    UnitKind.COUNTY_GOVERNMENT: "11",
    UnitKind.DEPARTMENT: "11",
    UnitKind.INSTITUTION: "12",
}


def demo_org_code(position, kind, division):
    """A valid, stable credit code per demo unit: category, division, a serial, check char."""
    return make_credit_code(f"{CATEGORY_PREFIX[kind]}{division}{position:08d}0")


def demo_hostname(slug, parent_slug):
    return "localhost" if parent_slug is None else f"{slug}.localhost"


# The national conventions filled in for the city and two districts: the 网站标识码 (行政区划代码
# and a serial), a made-up 党政机关网站 verification id, and what the 指南 cannot read from the
# platform (fax, postcode).
DEMO_SITE_CONVENTIONS = {
    "hegang": ("2304000001", "0468-3450001", "154100"),
    "xiangyang": ("2304020001", "0468-3450002", "154100"),
    "gongnong": ("2304030001", "0468-3450003", "154101"),
}


def load_demo_site_conventions():
    """Idempotent: a value an administrator changed is left alone."""
    import hashlib

    from statutory_columns.models import GuidePage
    from themes.models import SiteThemeSettings

    for slug, (code, fax, postcode) in DEMO_SITE_CONVENTIONS.items():
        unit = UnitPage.objects.get(slug=slug)
        if unit.own_site is not None:
            settings_obj = SiteThemeSettings.for_site(unit.own_site)
            if not settings_obj.website_code:
                mark_id = hashlib.md5(slug.encode()).hexdigest().upper()
                settings_obj.website_code = code
                settings_obj.government_mark_url = (
                    f"https://bszs.conac.cn/sitename?method=show&id={mark_id}"
                )
                settings_obj.save()
        guide = GuidePage.objects.child_of(unit).first()
        if guide is not None and not guide.postcode:
            guide.fax, guide.postcode = fax, postcode
            guide.save_revision().publish()


def load_demo(password, port=8000, log=print):
    """Provision every demo unit (idempotent) and point the demo sites at `port`."""
    from wagtail.models import Site

    for position, (slug, name, short, kind, parent, own_site, division) in enumerate(
        DEMO_UNITS, start=1
    ):
        result = provision_unit(
            UnitSpec(
                slug=slug,
                name=name,
                short_name=short,
                kind=kind,
                org_code=demo_org_code(position, kind, division),
                parent_slug=parent,
                hostname=demo_hostname(slug, parent) if own_site else None,
                port=port,
                address=f"黑龙江省鹤岗市{short}",
                phone="0468-1234" + f"{position:03d}",
                office_hours="工作日 8:30-11:30，13:30-17:00",
                complaint_channel=f"{short}政务公开投诉电话：0468-12345；监督邮箱：gongkai@{slug}.example.gov.cn",
                password=password,
            )
        )
        if not result.created:
            complete_unit(result.unit)  # parts added by apps newer than this database
        log(result.message)
    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@localhost", password)
    if not User.objects.filter(username="webteam").exists():
        web_team = User.objects.create_user("webteam", password=password, first_name="政务信息中心")
        web_team.groups.add(ensure_web_team_group())
    # Demo accounts get addresses so reminders show up in the console email backend.
    for user in User.objects.filter(email=""):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    # Serving on another port than last time: keep every site's URLs right.
    for site in Site.objects.filter(root_page__in=UnitPage.objects.all()).exclude(port=port):
        site.port = port
        site.save()  # save(), not update(): clears Wagtail's cached site root paths
    load_demo_site_conventions()
