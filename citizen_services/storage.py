"""Where applicants' files and replies are kept: never under MEDIA_URL.

Applications carry personal data, so their files are served only through views that check
who is asking (the unit's staff and offices, or the applicant with code and phone). A
`private` entry in STORAGES wins; otherwise a directory beside MEDIA_ROOT when media live on
the local disk (the web server serves MEDIA_ROOT, not this), or the default storage when it
is something else (tests' in-memory storage; an object store should get a `private` entry)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone


def private_storage():
    if "private" in settings.STORAGES:
        return storages["private"]
    default = storages["default"]
    if isinstance(default, FileSystemStorage):
        location = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private"
        )
        return FileSystemStorage(location=location, base_url="/no-public-url/")
    return default


def private_upload_to(instance, filename):
    """A random name: the original name is kept in the database, not in the path."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"citizen/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"
