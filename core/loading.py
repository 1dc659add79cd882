"""Loading stored rows (a restore, a fixture) replays history; it is no new event.

While rows load, Django sends ``pre_save``/``post_save`` with ``raw=True`` and the rows a
receiver would look up (a setting's site, a withdrawal's page) may not be loaded yet. So every
application receiver is wrapped in :func:`skips_loading`: it does nothing for a raw save, nor
for anything sent while :func:`loading` is active (``post_delete`` of a flush, ``m2m_changed``,
signals of our own that carry no ``raw`` flag)."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_loading = ContextVar("gongkai_loading", default=False)


@contextmanager
def loading():
    """Mark this thread as loading stored rows (backups.services.restore_backup)."""
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)


def is_loading():
    return _loading.get()


def skips_loading(receiver):
    """Decorate a signal receiver: it ignores raw saves and everything sent while loading."""

    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        if kwargs.get("raw") or _loading.get():
            return None
        return receiver(*args, **kwargs)

    return wrapper
