"""The expected permission matrix, written from the design (DESIGN.md "Who uses it",
unit_sites/permissions.py, review/permissions.py, review/workflow.py,
citizen_services/permissions.py), not from observed behaviour.

Run ``python -m tests.security_matrix.rules`` to rewrite docs/permission-matrix.md; a test
checks that the file matches these rules.

The rules, one line each (R1…R9 are cited in the table's legend):

R1  Unit staff (editor, reviewer, secrecy reviewer) work only in their own unit's workspaces
    (its catalogue etc.): nothing in a sibling, the parent, or a sub-unit (permissions sit on
    the workspaces, never on the unit page, whose subtree holds the sub-units).
R2  Editors add and change (so: open and edit drafts, move and delete their own unpublished
    drafts); reviewers and secrecy reviewers change (open, edit; Wagtail's "change" also
    lets them delete an unpublished draft, but not move it: a move needs "add" at the
    destination). Nobody but the web team holds "publish": publication comes from passing
    the workflow (R5).
R3  A disclosure office (county `<county>-office`, city `gongkaiban`) holds add/change/lock on
    its government's unit page: everything of its own government and every unit below it,
    never above or beside it. No publish.
R4  The web team (政务信息中心) runs the platform: add/change/publish/delete everywhere and
    every collection; it approves no workflow task and handles no application.
R5  Workflow tasks: automatic screening is approved by nobody (it decides by itself); unit
    review by the unit's reviewers; secrecy review by the unit's secrecy reviewers; filing
    (Art. 9) by the office of the nearest government *above* the unit (the city office for
    the city itself). Editors approve nothing (and nobody their own submission).
R6  Documents: editors upload to and choose from their unit's collection; reviewers and
    secrecy reviewers choose only; offices upload and choose in the collections of the units
    they oversee; the web team everywhere.
R7  Applications (依申请公开) hold personal data: seen by the unit's editors and reviewers and
    the offices above it; not by secrecy reviewers, not by the web team.
R8  The register export shows the same rows as R7 (a user without the register sees none).
R9  Anonymous visitors get nothing in the admin (a login page).
"""

from pathlib import Path

ALLOW, DENY = True, False

# role key → (account, kind, {relation: unit slug}). Concrete demo topology: a county
# department (luobei-jyj) and its county government (luobei, under the city hegang).
ROLES = {
    "dept-editor": ("luobei-jyj-editor", "editor"),
    "dept-reviewer": ("luobei-jyj-reviewer", "reviewer"),
    "dept-secrecy": ("luobei-jyj-secrecy", "secrecy"),
    "gov-editor": ("luobei-editor", "editor"),
    "gov-reviewer": ("luobei-reviewer", "reviewer"),
    "gov-secrecy": ("luobei-secrecy", "secrecy"),
    "county-office": ("luobei-office", "county-office"),
    "city-office": ("gongkaiban", "city-office"),
    "webteam": ("webteam", "webteam"),
    "anonymous": (None, "anonymous"),
}
DEPT = {"own": "luobei-jyj", "sibling": "luobei-nyj", "parent": "luobei"}
GOV = {"own": "luobei", "child": "luobei-jyj", "parent": "hegang", "sibling": "suibin"}
TARGETS = {
    "dept-editor": DEPT,
    "dept-reviewer": DEPT,
    "dept-secrecy": DEPT,
    "gov-editor": GOV,
    "gov-reviewer": GOV,
    "gov-secrecy": GOV,
    "county-office": GOV,
    "city-office": {"own": "hegang", "child": "luobei", "grandchild": "luobei-jyj"},
    "webteam": {"any": "luobei-jyj", "any-gov": "luobei", "any-city": "hegang"},
    "anonymous": {"any": "luobei-jyj", "any-gov": "luobei", "any-city": "hegang"},
}

ACTIONS = [
    "view_draft",
    "preview",
    "edit",
    "publish",
    "approve_screening",
    "approve_review",
    "approve_secrecy",
    "approve_filing",
    "move",
    "delete",
    "upload_document",
    "choose_document",
    "see_request",
    "export_register",
]

STAFF = {"editor", "reviewer", "secrecy"}
OFFICES = {"county-office", "city-office"}
OVERSEEN = {"own", "child", "grandchild"}  # an office's government and the units below it

STAFF_ACTIONS = {
    "editor": {
        "view_draft",
        "preview",
        "edit",
        "move",
        "delete",
        "upload_document",
        "choose_document",
        "see_request",
        "export_register",
    },
    "reviewer": {
        "view_draft",
        "preview",
        "edit",
        "delete",
        "approve_review",
        "choose_document",
        "see_request",
        "export_register",
    },
    "secrecy": {"view_draft", "preview", "edit", "delete", "approve_secrecy", "choose_document"},
}
OFFICE_ACTIONS = {
    "view_draft",
    "preview",
    "edit",
    "move",
    "delete",
    "upload_document",
    "choose_document",
    "see_request",
    "export_register",
}
# R5: whose filing an office approves, by relation to its own government.
FILES_FOR = {"county-office": {"child"}, "city-office": {"own", "child"}}
WEBTEAM_ACTIONS = {
    "view_draft",
    "preview",
    "edit",
    "publish",
    "move",
    "delete",
    "upload_document",
    "choose_document",
}


def expected(kind, action, relation):
    """ALLOW or DENY for a role kind doing `action` on a unit in `relation` to its own."""
    if kind == "anonymous":  # R9
        return DENY
    if kind == "webteam":  # R4
        return action in WEBTEAM_ACTIONS
    if kind in STAFF:  # R1, R2, R5, R6, R7
        return relation == "own" and action in STAFF_ACTIONS[kind]
    if kind in OFFICES:  # R3, R5, R6, R7
        if action == "approve_filing":
            return relation in FILES_FOR[kind]
        return relation in OVERSEEN and action in OFFICE_ACTIONS
    raise ValueError(kind)


def cells():
    """Every (role key, account, kind, relation, unit slug, action) of the matrix."""
    for role, (account, kind) in ROLES.items():
        for relation, unit in TARGETS[role].items():
            for action in ACTIONS:
                yield role, account, kind, relation, unit, action


SHORT = {
    "view_draft": "view",
    "preview": "prev",
    "edit": "edit",
    "publish": "pub",
    "approve_screening": "scr",
    "approve_review": "rev",
    "approve_secrecy": "sec",
    "approve_filing": "fil",
    "move": "move",
    "delete": "del",
    "upload_document": "upl",
    "choose_document": "cho",
    "see_request": "req",
    "export_register": "exp",
}


def render(observed=None):
    """The matrix as Markdown: ✔ allow, · deny; with `observed`, a mismatch shows as ✘!
    (allowed, expected deny) or ✘? (denied, expected allow)."""
    head = "| role (account) | relation (unit) | " + " | ".join(SHORT[a] for a in ACTIONS) + " |"
    lines = [head, "|" + "---|" * (len(ACTIONS) + 2)]
    for role, (account, kind) in ROLES.items():
        for relation, unit in TARGETS[role].items():
            marks = []
            for action in ACTIONS:
                want = expected(kind, action, relation)
                got = want if observed is None else observed.get((role, relation, action), want)
                marks.append(("✔" if want else "·") if got == want else ("✘!" if got else "✘?"))
            lines.append(
                f"| {role} ({account or '—'}) | {relation} ({unit}) | " + " | ".join(marks) + " |"
            )
    return "\n".join(lines)


DOC = Path(__file__).resolve().parents[2] / "docs" / "permission-matrix.md"


def document():
    legend = ", ".join(f"{short} = {action}" for action, short in SHORT.items())
    rules = __doc__.split("The rules, one line each", 1)[1].split("\n", 1)[1].strip()
    return f"""# Permission matrix

Generated by `python -m tests.security_matrix.rules` from the declarative rules in
`tests/security_matrix/rules.py`; `tests/security_matrix/test_permission_matrix.py` checks
every cell through the admin's HTTP views (Django test client: status codes, redirects,
listing contents and the database afterwards) and fails on any difference, listing the
cells that were allowed but should not be (✘!) and denied but should not be (✘?).

Topology (demo units): a county department `luobei-jyj` (sibling `luobei-nyj`, parent
`luobei`), and a county government `luobei` (child `luobei-jyj`, parent city `hegang`,
sibling county `suibin`). Offices are placed relative to their own government; the web
team and anonymous visitors are checked on a department, a county and the city.

How each action is tried: view = GET the page's edit view (draft title shown); prev =
POST the form to preview-on-edit, then GET the preview; edit = POST the edit form with a new
title (a new draft revision with it); pub = POST the edit form with `action-publish` (the
page goes live); scr/rev/sec/fil = POST the Wagtail workflow action `approve` on an item
waiting at the automatic screening / unit review / secrecy review (with the attestation) /
Art. 9 filing task (the task state is approved); move = POST move-confirm to another column
of the same catalogue; del = POST delete (the page is gone); upl = POST a PDF to the
document upload view with the unit's collection; cho = the document chooser filtered to the
unit's collection lists the unit's document; req = GET the application's inspect view in
the citizen-services register; exp = the register's CSV export contains the application.
Targets are unpublished drafts owned by the unit's editor, submitted by that editor.

Legend: ✔ allowed, · denied. Columns: {legend}.

{render()}

## Rules

```
{rules}
```

Notes for reviewers of the design:

- R2: Wagtail's "change" permission lets reviewers and secrecy reviewers delete an
  *unpublished* draft of their unit (not a published item: that needs publish, and a
  published disclosure item is withdrawn with a reason, never deleted). Kept as designed;
  narrowing it would need a `before_delete_page` hook.
- R4: the web team holds "publish" everywhere and so can publish around the review workflow
  (it runs the platform, DESIGN.md). Every such publication is in the audit log.
"""


def main():
    DOC.write_text(document(), encoding="utf-8")
    print(DOC)


if __name__ == "__main__":
    main()
