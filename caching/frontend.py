"""Wagtail's HTTP purge backend for nginx's cache-purge module (deploy/nginx.conf)."""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")


class NginxPurgeBackend(HTTPBackend):
    """As HTTPBackend, but a 404 (the page was not in nginx's cache) is no error: every
    publication purges a dozen URLs of which only the visited ones are cached."""

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": "Gongkai-frontendcache"},
        )
        try:
            urlopen(request, timeout=5)
        except HTTPError as error:
            if error.code != 404:
                logger.error("Couldn't purge %s from nginx: %s %s", url, error.code, error.reason)
        except URLError as error:
            logger.error("Couldn't purge %s from nginx: %s", url, error.reason)
