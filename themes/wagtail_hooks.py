from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component


class ThemeWarningPanel(Component):
    """On the admin homepage: themes that are missing or broken (their sites fall back)."""

    name = "theme_warnings"
    order = 40

    def __init__(self, messages):
        self.messages = messages

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="help-block help-warning theme-warnings" aria-labelledby="theme-warning">'
            '<h2 id="theme-warning">{}</h2><ul>{}</ul></section>',
            _("Theme problems"),
            format_html_join("", "<li>{}</li>", ((message,) for message in self.messages)),
        )


@hooks.register("construct_homepage_panels")
def add_theme_warning_panel(request, panels):
    if not (request.user.is_superuser or request.user.has_perm("themes.change_sitethemesettings")):
        return
    from themes.health import admin_problems

    messages = admin_problems()
    if messages:
        panels.insert(0, ThemeWarningPanel(messages))
