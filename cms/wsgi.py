import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_wsgi_application()

# The search's segmenter and its dictionary (≈59 MB) are built here, once, in the master
# gunicorn preloads (deploy/gunicorn.conf.py: preload_app): the forked workers share them
# instead of each building its own on its first query. Connections opened for it are closed
# so that no worker inherits the master's sockets.
if os.environ.get("GONGKAI_PRELOAD_SEARCH", "1") == "1":
    from django.core.cache import close_caches
    from django.db import connections

    from search.segmentation import get_segmenter

    get_segmenter()
    connections.close_all()
    close_caches()

# What is loaded by now (Django, Wagtail, every app: several hundred thousand objects) lives as
# long as the worker. Frozen, the garbage collector's full passes stop walking it on every
# request that triggers one: a 100+ ms pause in the slowest 1% of requests otherwise.
gc.collect()
gc.freeze()
