"""The statutory catalogue as data: the 8 classes of Art. 7 and the 20 key kinds of Art. 8.

This table seeds the CatalogueNode tree (data migration); afterwards the tree is data that the
city disclosure office edits. Codes are stable identifiers; the short pinyin codes of the
classes double as URL segments of each unit's catalogue (e.g. /gkml/zfzn/).
"""

# (code, name, description)
CATALOGUE_CLASSES = [
    ("zfzn", "政府职能", "机构设置、法定职责、领导分工、联系方式"),
    ("xzql", "行政权力", "行政许可、非行政许可审批、行政处罚、行政强制、行政征收、收费等事项"),
    ("xzzf", "行政执法", "执法依据、执法责任、执法人员和执法结果"),
    ("zcfg", "政策法规", "法律、法规、规章、规范性文件和其他政策文件"),
    ("bszn", "办事指南", "办事及便民服务事项的条件、程序、期限和材料"),
    ("bgxz", "表格下载", "办事所需的申请表格和示范文本"),
    ("gzdt", "工作动态", "工作进展、重大事项、招录、采购、突发事件等动态信息"),
    ("wtjd", "问题解答", "常见问题的解答"),
]

# (Art. 8 item number, code, name, class code)
KEY_KINDS = [
    (1, "ldzc", "领导组成、法定职责、机构设置、联系方式和投诉监督途径", "zfzn"),
    (2, "xzqlsx", "行政许可、审批、处罚、强制、征收事项", "xzql"),
    (3, "bmfw", "办事及便民服务事项和程序", "bszn"),
    (4, "sfxm", "行政、事业性收费项目、依据、标准和程序", "xzql"),
    (5, "sfjm", "税费征收和减免政策的执行", "zcfg"),
    (6, "zdsx", "涉及公民切身利益及城市规划、建设和管理中的重大事项", "gzdt"),
    (7, "zcwj", "法律、法规、规章以及其他政策文件", "zcfg"),
    (8, "zfjg", "行政执法责任、执法人员情况和执法结果", "xzzf"),
    (9, "cnsx", "承诺为民办理的事项及其办理情况", "gzdt"),
    (10, "qyxy", "企业信用警示信息和良好信息", "xzzf"),
    (11, "zbcg", "重大工程项目招投标和政府采购", "gzdt"),
    (12, "rszl", "公务员招聘和录用", "gzdt"),
    (13, "zdbc", "征收或者征用土地及其补偿、补助费的发放和使用", "gzdt"),
    (14, "tdcr", "经营性土地使用权出让和矿产资源开发利用", "gzdt"),
    (15, "snzc", "涉农政策落实、补贴发放和农村项目建设", "gzdt"),
    (16, "gqgz", "国有企业重组改制和产权交易", "gzdt"),
    (17, "ghjh", "年度工作目标及执行情况", "gzdt"),
    (18, "tfsj", "疫情、灾情等重大突发公共事件", "gzdt"),
    (19, "jzkw", "抢险、救灾、优抚、救济和社会捐赠款物", "gzdt"),
    (20, "qtxx", "法律、法规、规章规定应当公开的其他信息", "gzdt"),
]
