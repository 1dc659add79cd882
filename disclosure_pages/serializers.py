"""API v2 serializer fields for disclosure pages."""

from rest_framework import serializers


class LivePageField(serializers.Field):
    """A link to another page that says nothing about it unless it is live: a published item
    may name a successor still in review, whose title must not reach the public early."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        if not page.live:
            return None
        return {"id": page.pk, "title": page.title, "html_url": page.specific.get_full_url()}
