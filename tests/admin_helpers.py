"""Walking the Wagtail admin's menu as a given user (tests of menus and of the admin's words)."""

import re
from html.parser import HTMLParser

from django.test import RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

# One account of each role of the demo (README): their daily work is what is checked.
ROLES = {
    "district editor": "xiangyang-editor",
    "department editor": "fgw-editor",
    "department reviewer": "fgw-reviewer",
    "secrecy reviewer": "fgw-secrecy",
    "county office": "luobei-office",
    "city office": "gongkaiban",
    "web team": "webteam",
}


def menu_entries(user, menu=admin_menu, trail=()):
    """[(labels from the top, url)] of every entry of the main menu (submenus walked) that
    the user is shown."""
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    entries = []
    for item in sorted(menu.menu_items_for_request(request), key=lambda i: i.order):
        labels = (*trail, str(item.label))
        if isinstance(item, SubmenuMenuItem):
            entries.extend(menu_entries(user, item.menu, labels))
        elif item.url and item.url != "#":
            entries.append((" › ".join(labels), item.url))
    return entries


class _VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes outside scripts, styles, templates and
    hidden elements, and the placeholders, titles, labels and alternative texts of elements."""

    HIDDEN = {"script", "style", "template", "noscript", "svg"}
    ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # [(tag, hidden)]
        self.parts = []

    @property
    def hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        hidden = self.hidden or tag in self.HIDDEN or "hidden" in names
        if not hidden:
            self.parts.extend(v for n, v in attrs if n in self.ATTRIBUTES and v)
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        if not (self.hidden or "hidden" in dict(attrs)):
            self.parts.extend(v for n, v in attrs if n in self.ATTRIBUTES and v)

    def handle_endtag(self, tag):
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                del self.stack[position:]
                return

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(content):
    parser = _VisibleText()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return " ".join(parser.parts)


# Names, formats and data that are not English words of the interface.
ALLOWED = {
    "Wagtail",
    "PDF",
    "XLSX",
    "CSV",
    "API",
    "ICP",
    "URL",
    "ID",
    "Excel",
    "Word",
    # Wagtail's root page and collection, and the default workflow task its migrations create
    "Root",
    "Moderators",
}
TITLE_WORD = re.compile(r"(?<![A-Za-z0-9_./@-])[A-Z][a-z]{2,}(?![A-Za-z0-9_])")
LOWER_PHRASE = re.compile(r"(?<![A-Za-z0-9_./@-])[a-z]{3,} [a-z]{2,}(?![A-Za-z0-9_-])")


def english_words(text):
    """Words of English in a page's visible text: capitalised words and phrases of lower-case
    words (slugs, codes in capitals and file names are data, not words)."""
    text = re.sub(r"\s+", " ", text)
    found = {w for w in TITLE_WORD.findall(text) if w not in ALLOWED}
    found |= {w for w in LOWER_PHRASE.findall(text) if "approval" not in w}
    return found
