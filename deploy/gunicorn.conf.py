"""gunicorn for one Gongkai app server (docs/deployment.md): `gunicorn -c deploy/gunicorn.conf.py`.

Synchronous workers: every page is rendered from the database or served from Redis, no
long-polling. WEB_CONCURRENCY workers (default 2 per core + 1), each replaced after
MAX_REQUESTS requests so memory stays flat.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application once in the master: workers share its memory pages (copy on write).
preload_app = True
# nginx forwards X-Forwarded-Proto; trust it only from the proxy's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
