"""A theme packaged like a pip-installable one: registered through a (fake) entry point."""

from pathlib import Path

from themes.registry import Theme

theme = Theme(
    name="pkg-theme",
    label="Packaged theme (test)",
    template_dir=Path(__file__).parent / "templates",
)
