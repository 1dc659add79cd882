"""Each site's theme and the filing numbers every Chinese government site shows in its footer."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from themes.registry import DEFAULT_THEME, get_theme, theme_choices
from unit_sites import structure

# 网站标识码: 10 letters or digits, e.g. 2304000001 (county codes) or bm06000001 (departments).
website_code_validator = RegexValidator(
    r"^[0-9A-Za-z]{10}$", _("A website identification code has 10 letters or digits.")
)

# The 党政机关网站 mark links to the site's verification page at the registration authority
# (中央编办): https://bszs.conac.cn/sitename?method=show&id=<32 hex digits>.
government_mark_url_validator = RegexValidator(
    r"^https://bszs\.conac\.cn/sitename\?method=show&id=[0-9A-Fa-f]{32}$",
    _(
        "The mark links to the site's verification page: "
        "https://bszs.conac.cn/sitename?method=show&id= followed by the 32-character id."
    ),
)


class SiteThemeSettingsForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "theme" in self.fields:
            current = self.instance.theme if self.instance else None
            self.fields["theme"].widget = forms.Select(choices=theme_choices(current))


class ThemeStatusPanel(Panel):
    """The chosen theme's state on the settings page: a warning when it is missing or broken."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "themes/admin/theme_status_panel.html"

        def get_context_data(self, parent_context=None):
            from themes.health import runtime_problems, template_errors

            context = super().get_context_data(parent_context)
            name = self.instance.theme if self.instance else DEFAULT_THEME
            theme = get_theme(name)
            context["theme_name"] = name
            context["theme"] = theme
            context["missing"] = theme is None
            context["errors"] = (
                [f"{template}: {error}" for template, error in template_errors(theme)]
                + runtime_problems(name)
                if theme
                else []
            )
            return context


@register_setting(icon="desktop")
class SiteThemeSettings(BaseSiteSetting):
    theme = models.CharField(
        _("theme"),
        max_length=40,
        default=DEFAULT_THEME,
        help_text=_("How this site looks. Sections of the site use the same theme."),
    )
    website_code = models.CharField(
        _("website identification code"),
        max_length=10,
        blank=True,
        validators=[website_code_validator],
        help_text=_("The 10-character code given to every government website at registration."),
    )
    icp_number = models.CharField(
        _("ICP filing number"), max_length=60, blank=True, help_text=_("e.g. 黑ICP备05000001号")
    )
    police_number = models.CharField(
        _("public security filing number"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 黑公网安备 23040202000001号"),
    )
    show_government_mark = models.BooleanField(
        _("show the Party and government website mark"),
        default=True,
        help_text=_("Only for sites registered as Party and government websites."),
    )
    government_mark_url = models.URLField(
        _("link of the Party and government website mark"),
        blank=True,
        validators=[government_mark_url_validator],
        help_text=_("The registration page the mark links to (from the registration authority)."),
    )
    sponsor = models.CharField(
        _("sponsored by"),
        max_length=100,
        blank=True,
        help_text=_("The site's unit when empty."),
    )
    operator = models.CharField(_("operated by"), max_length=100, blank=True)

    base_form_class = SiteThemeSettingsForm
    panels = [
        MultiFieldPanel([ThemeStatusPanel(), FieldPanel("theme")], heading=_("Theme")),
        MultiFieldPanel(
            [
                FieldPanel("website_code"),
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("show_government_mark"),
                FieldPanel("government_mark_url"),
                FieldPanel("sponsor"),
                FieldPanel("operator"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("Site theme and footer")
        verbose_name_plural = _("Site themes and footers")

    def __str__(self):
        return str(self._meta.verbose_name)

    @property
    def police_record_code(self):
        """The digits of the 公安 filing number, for the link to its public record."""
        digits = re.sub(r"\D", "", self.police_number)
        return digits or None

    @classmethod
    def lookup(cls, site):
        """The settings of a site without writing anything (defaults when never saved); read
        from memory (unit_sites.structure: saving a site setting bumps its version), each call
        gets an instance of its own."""
        if site is None:
            return cls()
        values = structure.remember(
            f"theme-settings:{site.pk}", lambda: cls.objects.filter(site=site).values().first()
        )
        if values is None:
            return cls(site=site)
        instance = cls(**values)
        instance._state.adding = False
        return instance

    @classmethod
    def lookup_for_request(cls, request):
        """`lookup` for the request's site, read once per request (the theme middleware and
        the footer both ask)."""
        cached = getattr(request, "_gongkai_site_theme_settings", None)
        if cached is None:
            cached = cls.lookup(Site.find_for_request(request))
            request._gongkai_site_theme_settings = cached
        return cached
