"""Static files of folder and package themes, each under `themes/<name>/` (collectstatic,
WhiteNoise and the development server all ask the finders)."""

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, FileSystemFinder
from django.core.files.storage import FileSystemStorage

from themes.registry import get_themes


class ThemeStaticFinder(FileSystemFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        BaseFinder.__init__(self, *args, **kwargs)

    @property
    def locations(self):
        return [
            (theme.static_prefix, str(theme.static_dir))
            for theme in get_themes().values()
            if theme.static_dir is not None
        ]

    def check(self, **kwargs):
        return []

    def storage_for(self, prefix, root):
        storage = FileSystemStorage(location=root)
        storage.prefix = prefix
        return storage

    def list(self, ignore_patterns):
        for prefix, root in self.locations:
            storage = self.storage_for(prefix, root)
            for path in utils.get_files(storage, ignore_patterns):
                yield path, storage
