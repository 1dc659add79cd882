"""The theme of the request being served, for the template loader and the template tags.

A context variable: each thread (and each asyncio task) sees its own value; outside a themed
request (admin, management commands, emails) it is None and templates come from the base."""

from contextlib import contextmanager
from contextvars import ContextVar

_current_theme = ContextVar("gongkai_current_theme", default=None)


def get_current_theme():
    return _current_theme.get()


def set_current_theme(theme):
    """Returns a token for `reset_current_theme`."""
    return _current_theme.set(theme)


def reset_current_theme(token):
    _current_theme.reset(token)


@contextmanager
def using_theme(theme):
    token = _current_theme.set(theme)
    try:
        yield theme
    finally:
        _current_theme.reset(token)
