"""Settings shared by every environment. Everything that differs between
machines comes from environment variables with safe defaults."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Overridden per environment; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")

INSTALLED_APPS = [
    # Gongkai apps, highest layer first (see README "Architecture").
    "unit_sites",
    "disclosure_pages",
    "workdays",
    "review",
    "citizen_services",
    "search",
    "themes",
    "supervision",
    "annual_reports",
    "statutory_columns",
    "archive",
    "caching",
    "security",
    "backups",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    # TableBlock (disclosure_pages.blocks) renders with this app's template and edits with
    # its static files.
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "rest_framework",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Last: its zh_Hans catalogue yields to Wagtail's and Django's (see LOCALE_PATHS).
    "cms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours: CSP etc. on every response (cached, refused or not), then 413 before
    # any body is read.
    "security.middleware.SecurityHeadersMiddleware",
    "security.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached page is served without loading a session or querying (caching/).
    "caching.middleware.PageCacheMiddleware",
    # The request's site and what every page reads of the platform's structure, from memory.
    "unit_sites.structure.StructureMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle/absolute session expiry, then the admin's second sign-in step (security/).
    "security.middleware.SessionTimeoutMiddleware",
    "security.middleware.TwoFactorMiddleware",
    # The site's theme (or the visitor's accessible view) for the public pages: themes/.
    "themes.middleware.ThemeMiddleware",
    "unit_sites.admin_guard.AdminDraftTitleGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "unit_sites.middleware.FormerHostnameRedirectMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "review.middleware.WithdrawnNoticeMiddleware",
    # Last, so every check above has run: an admin POST (publish, move, approve…) is one
    # transaction, never half done (review/middleware.py).
    "review.middleware.AtomicAdminPostMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "OPTIONS": {
            # The current site's theme first (themes/loaders.py), then the base templates; one
            # cache per theme.
            "loaders": [
                (
                    "themes.loaders.CachedLoader",
                    [
                        "themes.loaders.ThemeLoader",
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded SQLite file under var/.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two editors at once (autosave while another submits) on the embedded database: writers
    # wait for each other (busy timeout, seconds) instead of failing with "database is
    # locked"; write-ahead logging lets readers go on while one writes; IMMEDIATE transactions
    # take the write lock when they begin, so that a transaction that read first cannot fail
    # on its first write (SQLite cannot wait there: it would deadlock).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process memory otherwise.
# Working days after a 规范性文件's publication by which its 政策解读 must be published (the
# inspection flags a document still without one); the city office's rule, 3 by default.
GONGKAI_INTERPRETATION_WORKING_DAYS = int(
    os.environ.get("GONGKAI_INTERPRETATION_WORKING_DAYS", "3")
)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gongkai"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Public pages served from the cache above, purged exactly on every change (caching/).
GONGKAI_PAGE_CACHE = {
    "ENABLED": env_bool("PAGE_CACHE", True),
    "SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),
    "PROXY_SECONDS": int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "600")),
}
# A caching proxy in front (nginx with the cache-purge module, deploy/nginx.conf): the same
# purges reach it as PURGE requests (wagtail.contrib.frontend_cache's HTTP backend).
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "caching.frontend.NginxPurgeBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Strength estimated by zxcvbn (security/passwords.py), not by character-class rules.
    {
        "NAME": "security.passwords.StrengthValidator",
        "OPTIONS": {"min_score": 4},
    },
]

# Sign-in security (security/, docs/security.md): lockouts after failed logins, sessions that
# end, the second factor; admin uploads checked by content.
AUTHENTICATION_BACKENDS = ["security.backends.LockoutModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "security.forms.LoginForm"
GONGKAI_LOGIN_LOCKOUT = {"USER_FAILURES": 5, "IP_FAILURES": 20, "WINDOW": 900, "LOCK": 900}
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
GONGKAI_SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
WAGTAILDOCS_DOCUMENT_FORM_BASE = "security.forms.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.forms.SafeImageForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Requests larger than these get a 413 page (security.middleware); set nginx's
# client_max_body_size to the larger one.
GONGKAI_MAX_REQUEST_SIZE = 20 * 1024 * 1024
GONGKAI_MAX_ADMIN_REQUEST_SIZE = 200 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads are streamed to a temp file
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's preview views override this to SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"

# Language and time: the platform speaks Chinese and runs on Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The zh_Hans catalogue lives in the `cms` app, listed last in INSTALLED_APPS, so it ranks
# below Wagtail's and Django's own: a word we also use ("Pages", "Name", "History") keeps
# Wagtail's translation in the admin. LOCALE_PATHS (which outranks every app) is set only
# for `make makemessages`, which needs it to know where to write.
LOCALE_PATHS = [BASE_DIR / "cms" / "locale"] if env_bool("GONGKAI_MAKEMESSAGES") else []
TIME_ZONE = "Asia/Shanghai"
# Beijing time only: the admin's account page then offers no time zone choice. Wagtail's full
# list holds names that browsers' Intl no longer knows, and the page's script failed on them
# (RangeError: Invalid time zone).
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Static files of installed themes, under themes/<name>/.
    "themes.finders.ThemeStaticFinder",
]
# Folders holding one theme each (docs/themes.md: theme.toml, templates/, static/); themes
# packaged with a `gongkai.themes` entry point need no setting.
GONGKAI_THEME_DIRS = [
    Path(p) for p in env_list("GONGKAI_THEME_DIRS", str(BASE_DIR / "themes" / "installed"))
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "政府信息公开平台")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Workflow mail goes to each step's own approvers (review/notifications.py), not to every
# superuser as well.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_bool("GONGKAI_NOTIFY_SUPERUSERS", False)
WAGTAIL_I18N_ENABLED = False
# No avatars from gravatar.com: a government intranet cannot reach it (initials are shown).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Unit slugs double as account prefixes and URL segments; keep Chinese titles but ASCII slugs
# stay possible. Wagtail keeps Unicode slugs by default.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Review before publish: approvers hold no publish permission; finishing a unit's workflow is
# what publishes (review.publishing.publish_approved). An edit during review needs approval again.
WAGTAIL_FINISH_WORKFLOW_ACTION = "review.publishing.publish_approved"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "csv", "txt", "odt", "ods", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Search: the database backend by default, Elasticsearch 9 when ELASTICSEARCH_URL is set
# (Wagtail's backend with Chinese analysis and the synonym table: search/backends).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "gongkai_"),
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# The public search (search/): what citizens search, its facets and its dictionary's sources.
GONGKAI_SEARCH = {
    "MODEL": "disclosure_pages.DisclosureItem",
    "UNIT_MODEL": "unit_sites.UnitPage",
    "UNIT_FIELD": "unit",
    "FACETS": {
        "unit": ("unit", "slug"),
        "class": ("catalogue_class", "code"),
        "year": ("publish_date__year", None),
        "validity": ("validity", None),
    },
    "DOC_NUMBER_FIELD": "doc_number_normalised",
    "INDEX_NUMBER_FIELD": "index_number",
    "DICTIONARY": [
        ("unit_sites.UnitPage", ["title", "short_name"]),
        ("disclosure_pages.CatalogueNode", ["name"]),
        ("disclosure_pages.PowerItemPage", ["title"]),
    ],
}
# Elasticsearch analysis of Chinese: "cjk" (built in, bigrams), "smartcn" or "ik" (plugins).
ELASTICSEARCH_ANALYZER = os.environ.get("ELASTICSEARCH_ANALYZER", "cjk")

# Background tasks (search index updates etc.): run inline unless a queue is configured.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "cms.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=json: one JSON object per line, for a log shipper.
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Per-task and per-publish lines drown everything else at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Gongkai: the password given to demo accounts by `load_demo` (never used in production).
GONGKAI_DEMO_PASSWORD = os.environ.get("GONGKAI_DEMO_PASSWORD", "gongkai-demo-2026")

# Key of the HMAC that signs every backup archive (backups/, docs/backup.md); the installation
# that restores needs the same one. Empty: derived from SECRET_KEY.
GONGKAI_BACKUP_HMAC_KEY = os.environ.get("BACKUP_HMAC_KEY", "")
