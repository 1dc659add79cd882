"""Wagtail's database search backend, with SQLite indexing that scales to 100,000 pages.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

On PostgreSQL and MySQL this is Wagtail's backend unchanged. On SQLite, Wagtail writes each
chunk of entries and then recomputes title norms with an UPDATE over every entry whose norm
is still 1.0: a scan of the whole index table per chunk (7.6 s a chunk at 10,000 items, so
`update_index` grows with the square of the catalogue), and an UPDATE that makes the FTS5
trigger tokenize every new entry a second time. Here entries are written once, with their
norm computed in Python against an average title length measured once per run; rebuilds
still end with Wagtail's full refresh.

On every database, the admin's own searches (page search, choosers, listings) read Chinese,
文号 and 索引号 as the public search does: search.admin_search.
"""

from functools import cache, cached_property

from django.db import connection
from django.db.models import Avg
from django.db.models.functions import Length
from modelsearch.backends import database as wagtail_database
from modelsearch.utils import get_content_type_pk


@cache
def _sqlite_backend_class():
    from modelsearch.backends.database.sqlite.sqlite import (
        IndexEntry,
        ObjectIndexer,
        SQLiteIndex,
        SQLiteSearchBackend,
    )
    from modelsearch.index import AutocompleteField, SearchField

    class OnePassIndexer(ObjectIndexer):
        """Wagtail's indexer reads every search field three times (once each for the title,
        body and autocomplete columns): a body's rich text is stripped of its tags three times
        and a related manager (tags) queried three times. Here each field is read once and the
        three columns are assembled from that, in the same order: the same text."""

        @cached_property
        def _values(self):
            return [
                (field, value)
                for search_field in self.search_fields
                for field, value in self.prepare_field(self.obj, search_field)
            ]

        @cached_property
        def title(self):
            return " ".join(
                value
                for field, value in self._values
                if isinstance(field, SearchField) and field.field_name == "title"
            )

        @cached_property
        def body(self):
            return " ".join(
                value
                for field, value in self._values
                if isinstance(field, SearchField) and field.field_name != "title"
            )

        @cached_property
        def autocomplete(self):
            return " ".join(
                value for field, value in self._values if isinstance(field, AutocompleteField)
            )

    class ScalableSQLiteIndex(SQLiteIndex):
        average_title_length = None

        def _average(self):
            cls = ScalableSQLiteIndex
            if cls.average_title_length is None:
                average = (
                    self.entries.annotate(title_length=Length("title"))
                    .filter(title_length__gt=0)
                    .aggregate(Avg("title_length"))["title_length__avg"]
                )
                cls.average_title_length = average or 20.0
            return cls.average_title_length

        def add_items(self, model, objs):
            if not model.get_search_fields() or not objs:
                return
            content_type = get_content_type_pk(model)
            data = {}
            for obj in objs:
                indexer = OnePassIndexer(obj, self.backend)
                data[indexer.id] = (indexer.title, indexer.autocomplete, indexer.body)
            entries = self.entries.filter(content_type_id=content_type)
            existing = set(
                entries.filter(object_id__in=list(data)).values_list("object_id", flat=True)
            )
            average = self._average()

            def norm(title):
                return average / len(title) if title else 1.0

            for object_id in existing:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(
                    title=title, autocomplete=autocomplete, body=body, title_norm=norm(title)
                )
            self.entries.bulk_create(
                [
                    IndexEntry(
                        content_type_id=content_type,
                        object_id=object_id,
                        title=title,
                        autocomplete=autocomplete,
                        body=body,
                        title_norm=norm(title),
                    )
                    for object_id, (title, autocomplete, body) in data.items()
                    if object_id not in existing
                ]
            )

        def _refresh_title_norms(self, full=False):
            if full:
                ScalableSQLiteIndex.average_title_length = None
            super()._refresh_title_norms(full=full)

    class ScalableSQLiteSearchBackend(SQLiteSearchBackend):
        index_class = ScalableSQLiteIndex

    return ScalableSQLiteSearchBackend


@cache
def _with_chinese_admin_search(backend_class):
    from search.admin_search import ChineseAdminSearchMixin

    return type(backend_class.__name__, (ChineseAdminSearchMixin, backend_class), {})


def SearchBackend(params):  # Wagtail looks the backend up by this name
    backend = wagtail_database.SearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        backend_class = _sqlite_backend_class()
    else:
        backend_class = type(backend)
    # The admin's searches (strings) read Chinese as the public search does (admin_search).
    return _with_chinese_admin_search(backend_class)(params)
