"""The information every organ publishes proactively (2019 Regulations Art. 20), as data: each
item with the catalogue classes and key kinds (disclosure_pages.taxonomy codes) that hold it.

A row may name classes and kinds that a later taxonomy edit removed: those are skipped."""

# (Art. 20 item number, what it covers, [(class code, key kind code or None), …])
ARTICLE_20 = [
    (1, "行政法规、规章和规范性文件", [("zcfg", "zcwj")]),
    (
        2,
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
        [("zfzn", "ldzc")],
    ),
    (3, "国民经济和社会发展规划、专项规划、区域规划及相关政策", [("gzdt", "ghjh")]),
    (4, "国民经济和社会发展统计信息", [("gzdt", "tjxx")]),
    (
        5,
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
        [("xzql", "xzqlsx"), ("bszn", "bmfw")],
    ),
    (
        6,
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
        [("xzql", "xzqlsx"), ("xzzf", "zfjg")],
    ),
    (7, "财政预算、决算信息", [("gzdt", "czyjs")]),
    (8, "行政事业性收费项目及其依据、标准", [("xzql", "sfxm")]),
    (9, "政府集中采购项目的目录、标准及实施情况", [("gzdt", "zbcg")]),
    (10, "重大建设项目的批准和实施情况", [("gzdt", "zdsx"), ("gzdt", "zbcg")]),
    (
        11,
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
        [("zcfg", "zcwj"), ("gzdt", "snzc")],
    ),
    (12, "突发公共事件的应急预案、预警信息及应对情况", [("gzdt", "tfsj")]),
    (
        13,
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
        [("xzzf", "zfjg")],
    ),
    (14, "公务员招考的职位、名额、报考条件等事项以及录用结果", [("gzdt", "rszl")]),
    (15, "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息", [("gzdt", "qtxx")]),
]
