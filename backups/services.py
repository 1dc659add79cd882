"""Back up the whole platform into one checksummed archive, and restore it into an empty one.

An archive (``gongkai-backup-<time>.tar.gz``) holds:

- ``manifest.json``: format, time, database engine, applied migrations, row counts per
  model, the files of each storage and the SHA-256 of every other member;
- ``db.json``: every row of every model in Django's portable JSON (as `dumpdata` writes it),
  with natural keys for content types and permissions, so it loads into an empty database
  on SQLite or PostgreSQL alike. Derived tables are left out and rebuilt after a restore:
  the search index (`update_index`), sessions, content types and permissions (`migrate`);
- ``files/<storage>/<path>``: the media (documents, images, renditions) and every other
  storage a file field uses (e.g. the applicants' private files).

Beside it, ``<archive>.sha256`` in `sha256sum` format (detects damage) and
``<archive>.hmac``, an HMAC-SHA256 of the archive under a key from the environment
(BACKUP_HMAC_KEY, else derived from SECRET_KEY): it detects tampering, since whoever changes
the archive can recompute a checksum but not the HMAC. Archives hold personal data (ID and
phone numbers, password hashes, TOTP secrets): every file is written readable by its owner
only (0600), in a directory only the owner can enter when it is created here. The database is read inside one
transaction (a REPEATABLE READ, read-only snapshot on PostgreSQL; one read transaction on
SQLite) and the files are copied inside it too, so the archive is one consistent moment.

Restore verifies both checksums before touching anything, runs `migrate`, refuses a database
that is not empty (unless forced), then replaces the contents in one transaction: a failure
at any step leaves the database as it was.
"""

import datetime
import hashlib
import hmac
import json
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext as _

from core.loading import loading

FORMAT = 1
ARCHIVE_PREFIX = "gongkai-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
DATABASE = "db.json"
FILES = "files"
CHUNK = 1024 * 1024

# Rebuilt rather than copied: migrate recreates content types and permissions (rows elsewhere
# name them by natural key), update_index the search index (engine-specific tables), and
# sessions only log everyone out.
EXCLUDED_APPS = {"wagtailsearch", "sessions"}
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission"}
DEFAULT_STORAGE_KEY = "media"
NATURAL_KEY_MODELS = (ContentType, Permission)


class BackupError(Exception):
    """Refused or failed backup/restore; the message is shown to the operator as it is."""


@dataclass
class RestoreResult:
    archive: Path
    counts: dict = field(default_factory=dict)
    files: int = 0


# --- what is backed up -----------------------------------------------------------------------


def backed_up_models():
    """Every concrete model with a table of its own, minus the derived ones, in app order."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _storage_identity(storage):
    if isinstance(storage, FileSystemStorage):
        return ("fs", os.path.abspath(storage.location))
    return ("object", id(storage))


def file_storages():
    """{key: storage}: the default storage (media) and every other storage a FileField uses.

    A key is stable for the same code (the first field, by label, using the storage), so a
    backup maps onto the storages of the installation it is restored into."""
    default = storages["default"]
    found = {DEFAULT_STORAGE_KEY: default}
    seen = {_storage_identity(default)}
    fields = []
    for model in backed_up_models():
        for model_field in model._meta.local_fields:
            if isinstance(model_field, models.FileField):
                fields.append((f"{model._meta.label_lower}.{model_field.name}", model_field))
    for label, model_field in sorted(fields, key=lambda pair: pair[0]):
        storage = model_field.storage
        identity = _storage_identity(storage)
        if identity not in seen:
            seen.add(identity)
            found[label] = storage
    return found


def _walk(storage, directory=""):
    """Every file name in a storage, sorted, below `directory`."""
    try:
        directories, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _walk(storage, f"{directory}/{name}" if directory else name)


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hmac_key():
    """BACKUP_HMAC_KEY (settings.GONGKAI_BACKUP_HMAC_KEY), else a key derived from SECRET_KEY.
    The installation that restores must have the same key as the one that backed up."""
    configured = getattr(settings, "GONGKAI_BACKUP_HMAC_KEY", "")
    if configured:
        return configured.encode()
    if not settings.SECRET_KEY:
        raise BackupError(
            _("Neither BACKUP_HMAC_KEY nor SECRET_KEY is set: backups cannot be signed.")
        )
    return hmac.new(settings.SECRET_KEY.encode(), b"gongkai-backup-hmac", "sha256").digest()


def _digests(path):
    """(SHA-256, HMAC-SHA256) of a file, in one pass."""
    digest = hashlib.sha256()
    signature = hmac.new(hmac_key(), digestmod="sha256")
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            signature.update(chunk)
    return digest.hexdigest(), signature.hexdigest()


def _write_private(path, text):
    """Write `path` (0600) under a temporary name, then rename: it appears whole or not at all."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(partial, 0o600)  # whatever the umask or an older file
    os.replace(partial, path)


# --- backup ----------------------------------------------------------------------------------


@contextmanager
def snapshot(using=DEFAULT_DB_ALIAS):
    """One consistent read of the database: every query inside sees the same moment."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        elif connection.vendor == "sqlite":
            # A deferred BEGIN takes its snapshot at the first read: read now, so the
            # snapshot is taken here and held until the end of the block.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        yield connection


def _counted(model, counts, using):
    label = model._meta.label_lower
    counts[label] = 0
    for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
        counts[label] += 1
        yield obj


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class PortableSerializer(JSONSerializer):
    """Django's JSON with natural keys only for content types and permissions: the two
    tables a fresh installation fills (migrate) with ids of its own. Everything else keeps
    its primary key, so references between rows stay exact whatever order they load in."""

    def _natural_for(self, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj, field):
        self._natural_for(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self._natural_for(field)
        super().handle_m2m_field(obj, field)


def dump_database(path, using=DEFAULT_DB_ALIAS):
    """Write every backed-up row as portable JSON; returns {model label: rows}."""
    counts = {}

    def objects():
        for model in backed_up_models():
            yield from _counted(model, counts, using)

    with open(path, "w", encoding="utf-8") as stream:
        PortableSerializer().serialize(
            objects(), stream=stream, ensure_ascii=False, cls=ExactEncoder
        )
    return counts


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _archive_name(now):
    return f"{ARCHIVE_PREFIX}{timezone.localtime(now):%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def create_backup(output_dir, *, using=DEFAULT_DB_ALIAS, now=None, log=None):
    """Write one archive and its .sha256 into `output_dir`; returns the archive's path."""
    log = log or (lambda message: None)
    output_dir = Path(output_dir)
    if not output_dir.exists():
        output_dir.mkdir(parents=True, mode=0o700)
    now = now or timezone.now()
    archive = output_dir / _archive_name(now)
    if archive.exists():
        raise BackupError(_("The backup %(path)s already exists.") % {"path": archive})

    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as staging:
        staging = Path(staging)
        members = {}
        stored = {}
        with snapshot(using) as connection:
            counts = dump_database(staging / DATABASE, using)
            members[DATABASE] = _sha256_file(staging / DATABASE)
            for key, storage in file_storages().items():
                names = []
                for name in _walk(storage):
                    member = f"{FILES}/{key}/{name}"
                    target = staging / member
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with storage.open(name, "rb") as source, open(target, "wb") as copy:
                        shutil.copyfileobj(source, copy, CHUNK)
                    members[member] = _sha256_file(target)
                    names.append(name)
                stored[key] = names
            migrations = applied_migrations(using)
            engine = connection.vendor
        log(
            _("Database: %(rows)s rows of %(models)s models; files: %(files)s.")
            % {
                "rows": sum(counts.values()),
                "models": len(counts),
                "files": sum(len(names) for names in stored.values()),
            }
        )
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine,
            "migrations": migrations,
            "counts": counts,
            "storages": stored,
            "members": members,
        }
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        partial = output_dir / f".{archive.name}.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.chmod(partial, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for member in [MANIFEST, *sorted(members)]:
                tar.add(staging / member, arcname=member, recursive=False)
        digest, signature = _digests(partial)
        os.replace(partial, archive)  # only a complete archive carries the final name
    _write_private(checksum_path(archive), f"{digest}  {archive.name}\n")
    _write_private(signature_path(archive), f"{signature}  {archive.name}\n")
    log(_("Backup written: %(path)s (SHA-256 %(digest)s)") % {"path": archive, "digest": digest})
    return archive


def checksum_path(archive):
    archive = Path(archive)
    return archive.with_name(archive.name + ".sha256")


def signature_path(archive):
    archive = Path(archive)
    return archive.with_name(archive.name + ".hmac")


# --- verification ----------------------------------------------------------------------------


def _safe_member_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def verify_archive(archive, extract_to=None):
    """Check the archive against its .sha256 and every member against the manifest.

    Returns the manifest; with `extract_to`, the verified members are written there."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("The backup %(path)s does not exist.") % {"path": archive})
    checksum = checksum_path(archive)
    if not checksum.is_file():
        raise BackupError(
            _("The checksum file %(path)s is missing: the backup cannot be verified.")
            % {"path": checksum}
        )
    signature_file = signature_path(archive)
    if not signature_file.is_file():
        raise BackupError(
            _("The signature file %(path)s is missing: the backup cannot be verified.")
            % {"path": signature_file}
        )
    digest, signature = _digests(archive)
    expected = checksum.read_text(encoding="utf-8").split()
    if not expected or expected[0].lower() != digest:
        raise BackupError(
            _("The backup %(path)s does not match its checksum: it is damaged or was altered.")
            % {"path": archive}
        )
    signed = signature_file.read_text(encoding="utf-8").split()
    if not signed or not hmac.compare_digest(signed[0].lower(), signature):
        raise BackupError(
            _(
                "The backup %(path)s does not match its signature (HMAC): it was altered, or "
                "was made with another BACKUP_HMAC_KEY."
            )
            % {"path": archive}
        )
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return _verify_members(tar, extract_to)
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(
            _("The backup %(path)s cannot be read: %(error)s") % {"path": archive, "error": error}
        ) from error


def _verify_members(tar, extract_to):
    manifest = None
    seen = {}
    for member in tar:
        if not member.isfile() or not _safe_member_name(member.name):
            raise BackupError(_("Unexpected entry in the backup: %(name)s") % {"name": member.name})
        source = tar.extractfile(member)
        if member.name == MANIFEST:
            manifest = json.loads(source.read().decode("utf-8"))
            continue
        digest = hashlib.sha256()
        target = None
        if extract_to is not None:
            target_path = Path(extract_to) / member.name
            target_path.parent.mkdir(parents=True, exist_ok=True)
            target = open(target_path, "wb")
        try:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                if target:
                    target.write(chunk)
        finally:
            if target:
                target.close()
        seen[member.name] = digest.hexdigest()
    if manifest is None:
        raise BackupError(_("The backup has no manifest."))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Unknown backup format %(format)s.") % {"format": manifest.get("format")}
        )
    listed = manifest.get("members", {})
    bad = sorted(name for name in set(listed) | set(seen) if listed.get(name) != seen.get(name))
    if bad:
        raise BackupError(
            _("Files in the backup do not match its manifest: %(names)s")
            % {"names": ", ".join(bad[:5])}
        )
    return manifest


# --- restore ---------------------------------------------------------------------------------


def database_contents(using=DEFAULT_DB_ALIAS):
    """(users, pages beyond Wagtail's initial root and welcome page): what `force` overwrites."""
    from wagtail.models import Page

    users = get_user_model()._base_manager.using(using).count()
    pages = Page._base_manager.using(using).filter(depth__gt=2).count()
    return users, pages


def _check_migrations(manifest, using):
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer version of the platform (unknown migrations: "
                "%(names)s); upgrade this installation first."
            )
            % {"names": ", ".join(unknown[:5])}
        )


@contextmanager
def _muted(signal):
    """Loading stored rows replays history, it is no new event: a many-to-many receiver
    (m2m_changed has no `raw` flag, unlike post_save) must not log or react to it."""
    with signal.lock:
        receivers, signal.receivers = signal.receivers, []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        with signal.lock:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def empty_database(using=DEFAULT_DB_ALIAS):
    """Django's flush, also inside a transaction that already wrote rows on PostgreSQL."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to TRUNCATE a table with deferred constraint checks pending in
        # this transaction: run them now, then defer again so rows may load in any order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0, database=using)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _load_database(path, manifest, using):
    empty_database(using)
    ContentType.objects.clear_cache()  # the flush recreated them with new ids
    with _muted(m2m_changed):
        call_command("loaddata", str(path), verbosity=0, database=using)
    expected = manifest.get("counts", {})
    actual = {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in backed_up_models()
        if model._meta.label_lower in expected
    }
    wrong = sorted(label for label, rows in expected.items() if actual.get(label) != rows)
    if wrong:
        raise BackupError(
            _("Restored row counts differ from the backup for: %(models)s")
            % {"models": ", ".join(wrong[:5])}
        )
    return actual


def _restore_files(root, manifest, targets):
    restored = 0
    for key, names in manifest.get("storages", {}).items():
        storage = targets[key]
        for name in names:
            if storage.exists(name):
                storage.delete(name)
            with open(root / FILES / key / name, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(
                    _("The file %(name)s could not be restored under its own name.")
                    % {"name": name}
                )
            restored += 1
    return restored


def restore_backup(
    archive, *, force=False, migrate=True, rebuild_index=True, using=DEFAULT_DB_ALIAS, log=None
):
    """Verify `archive` and bring it back: database rows, then files, in one transaction."""
    log = log or (lambda message: None)
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as workdir:
        root = Path(workdir)
        manifest = verify_archive(archive, extract_to=root)
        log(_("Checksums verified: %(path)s") % {"path": archive})
        if migrate:
            # No system checks: some query tables that an empty database does not have yet.
            call_command(
                "migrate", interactive=False, verbosity=0, database=using, skip_checks=True
            )
        _check_migrations(manifest, using)
        targets = file_storages()
        missing = sorted(set(manifest.get("storages", {})) - set(targets))
        if missing:
            raise BackupError(
                _("This installation has no storage for the backed-up files of: %(keys)s")
                % {"keys": ", ".join(missing)}
            )
        users, pages = database_contents(using)
        if (users or pages) and not force:
            raise BackupError(
                _(
                    "The database is not empty (%(users)s users, %(pages)s pages): restore only "
                    "into an empty installation, or pass --force to replace everything in it."
                )
                % {"users": users, "pages": pages}
            )
        result = RestoreResult(archive=archive)
        try:
            # No application receiver runs while rows load (core.loading): they would react
            # to history as if it were new, and look up rows not loaded yet.
            with loading(), transaction.atomic(using=using):
                result.counts = _load_database(root / DATABASE, manifest, using)
                result.files = _restore_files(root, manifest, targets)
        finally:
            ContentType.objects.clear_cache()  # ids of the restored (or the old) rows
        caches["default"].clear()  # cached site roots, menus and pages of the old contents
        log(
            _("Restored %(rows)s rows and %(files)s files.")
            % {"rows": sum(result.counts.values()), "files": result.files}
        )
    if rebuild_index:
        call_command("update_index", verbosity=0)
        log(_("Search index rebuilt."))
    return result


def default_backup_dir():
    return Path(getattr(settings, "GONGKAI_BACKUP_DIR", None) or settings.VAR_DIR / "backups")
