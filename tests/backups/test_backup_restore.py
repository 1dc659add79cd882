"""`backup` and `restore`: a round trip into an empty database loses nothing, and a damaged
or foreign archive, or a database that is not empty, is refused before anything changes.

The round trip runs inside the test's transaction: the database is flushed (what an empty
installation holds after `migrate`), the archive restored, then everything is rolled back so
the demo stays for the other tests."""

import hashlib
import io
import json
import tarfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, TaskState, WorkflowState

from backups.services import (
    BackupError,
    checksum_path,
    create_backup,
    empty_database,
    restore_backup,
    signature_path,
    verify_archive,
)
from citizen_services.models import InformationRequest, RequestAttachment, RequestEvent
from review.models import Withdrawal
from tests.backups.helpers import (
    build_content,
    database_fingerprint,
    files_fingerprint,
    wipe_storages,
)
from themes.models import SiteThemeSettings

pytestmark = pytest.mark.django_db

# What the round trip must bring back, and must find in the backup to begin with.
REQUIRED = [
    Page,
    Revision,
    WorkflowState,
    TaskState,
    InformationRequest,
    RequestEvent,
    RequestAttachment,
    get_document_model(),
    get_image_model(),
    # Rows whose save receivers look up other rows (a site, a page) that load after them.
    SiteThemeSettings,
    Withdrawal,
]


@pytest.fixture(autouse=True)
def forget_content_type_ids():
    """A flush inside the test numbers content types anew; the rollback brings the old ids
    back, so nothing may remember the ones in between."""
    yield
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture
def content(user_named):
    return build_content(user_named("fgw-editor"))


def describe(mismatched):
    """The differing fields of the first row of each mismatched model (for the failure)."""
    from django.apps import apps

    lines = []
    for label, pks in list(mismatched.items())[:5]:
        model = apps.get_model(label)
        obj = model._base_manager.filter(pk=pks[0]).first() if pks else None
        lines.append(
            f"{label} {pks}: {obj and {f.attname: f.value_from_object(obj) for f in model._meta.concrete_fields}}"
        )
    return "\n".join(lines)


def backup_via_command(output):
    out = io.StringIO()
    call_command("backup", output=str(output), stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_round_trip_into_an_empty_database_loses_nothing(tmp_path, content):
    before = database_fingerprint()
    files_before = files_fingerprint()
    for model in REQUIRED:
        assert before[model._meta.label_lower], f"no {model.__name__} to prove anything with"
    assert files_before["media"] and any(files_before[key] for key in files_before)

    archive = backup_via_command(tmp_path)
    assert checksum_path(archive).read_text().split()[1] == archive.rsplit("/", 1)[1]

    # An empty installation: no rows but what migrate's signals create, and no files.
    empty_database()
    wipe_storages()
    assert not Page.objects.exists() and not files_fingerprint()["media"]

    call_command("restore", archive, "--no-index", stdout=io.StringIO())

    after = database_fingerprint()
    mismatched = {
        label: sorted(
            pk
            for pk in set(before[label]) | set(after.get(label, {}))
            if before[label].get(pk) != after.get(label, {}).get(pk)
        )[:3]
        for label in before
        if before[label] != after.get(label)
    }
    assert not mismatched, describe(mismatched)
    assert files_fingerprint() == files_before
    document = get_document_model().objects.get(pk=content["document"].pk)
    with document.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 backup test\n" * 50
    # The restored platform works: the published item is served, the review goes on.
    assert Page.objects.get(pk=content["published"].pk).specific.index_number
    assert WorkflowState.objects.for_instance(content["in_review"]).get().status == "in_progress"


def test_the_archive_lists_a_checksum_for_every_member(tmp_path, content):
    archive = create_backup(tmp_path)
    manifest = verify_archive(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert set(names) - {"manifest.json"} == set(manifest["members"])
    assert manifest["counts"]["wagtailcore.page"] == Page.objects.count()
    assert "contenttypes.contenttype" not in manifest["counts"]
    document = content["document"]
    assert document.file.name in manifest["storages"]["media"]
    attachment = RequestAttachment.objects.get(request=content["application"])
    assert any(attachment.file.name in names for names in manifest["storages"].values())


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path, content):
    archive = create_backup(tmp_path)
    pages = Page.objects.count()
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=r"校验|checksum"):
        restore_backup(archive, force=True, migrate=False, rebuild_index=False)
    assert Page.objects.count() == pages


def test_a_member_that_does_not_match_the_manifest_is_refused(tmp_path, content):
    archive = create_backup(tmp_path)
    rebuilt = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(rebuilt, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["members"]["db.json"] = "0" * 64
                data = json.dumps(manifest).encode()
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    from backups.services import _sha256_file

    checksum_path(rebuilt).write_text(f"{_sha256_file(rebuilt)}  {rebuilt.name}\n")
    with pytest.raises(BackupError):
        verify_archive(rebuilt)


def test_a_rebuilt_archive_with_a_new_checksum_is_refused_by_its_signature(tmp_path, content):
    """Whoever alters an archive can recompute its SHA-256, not its HMAC."""
    archive = create_backup(tmp_path)
    rebuilt = tmp_path / "rebuilt.tar.gz"
    manifest = {}  # the first member
    with tarfile.open(archive) as source, tarfile.open(rebuilt, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "db.json":
                data = data.replace("备份测试已发布".encode(), "篡改后的标题".encode())
                manifest["members"]["db.json"] = hashlib.sha256(data).hexdigest()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                continue
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        target.addfile(info, io.BytesIO(data))
    from backups.services import _sha256_file

    checksum_path(rebuilt).write_text(f"{_sha256_file(rebuilt)}  {rebuilt.name}\n")
    signature_path(rebuilt).write_text(signature_path(archive).read_text())
    pages = Page.objects.count()
    with pytest.raises(BackupError, match="签名"):
        restore_backup(rebuilt, force=True, migrate=False, rebuild_index=False)
    assert Page.objects.count() == pages
    assert not Page.objects.filter(title="篡改后的标题").exists()


def test_an_archive_signed_with_another_key_or_unsigned_is_refused(tmp_path, settings):
    settings.GONGKAI_BACKUP_HMAC_KEY = "the-key-of-the-installation-that-backed-up"
    archive = create_backup(tmp_path)
    assert verify_archive(archive)["format"]
    settings.GONGKAI_BACKUP_HMAC_KEY = "another-key"
    with pytest.raises(BackupError, match="签名"):
        verify_archive(archive)
    settings.GONGKAI_BACKUP_HMAC_KEY = "the-key-of-the-installation-that-backed-up"
    signature_path(archive).unlink()
    with pytest.raises(BackupError, match="签名"):
        verify_archive(archive)


def test_archives_are_readable_by_their_owner_only(tmp_path):
    output = tmp_path / "new-dir"
    archive = create_backup(output)
    for path in (archive, checksum_path(archive), signature_path(archive)):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert output.stat().st_mode & 0o777 == 0o700


def test_restore_runs_no_application_receiver(tmp_path, content, monkeypatch):
    """Loading rows replays history: no cache purge, structure bump, theme or audit reaction
    (they looked up rows not loaded yet and failed the restore of a real platform)."""
    archive = create_backup(tmp_path)
    calls = []

    def spy(name):
        return lambda *args, **kwargs: calls.append(name)

    monkeypatch.setattr("caching.signals.schedule_page", spy("schedule_page"))
    monkeypatch.setattr("caching.signals.schedule_everything", spy("schedule_everything"))
    monkeypatch.setattr("themes.signals.clear_problems", spy("clear_problems"))
    monkeypatch.setattr("unit_sites.structure.bump", spy("bump"))
    monkeypatch.setattr("security.audit.log", spy("audit"))
    monkeypatch.setattr("search.signals.refresh_dictionary", spy("refresh_dictionary"))
    restore_backup(archive, force=True, migrate=False, rebuild_index=False)
    assert calls == []
    # The receivers still work outside a restore.
    SiteThemeSettings.objects.first().save()
    assert "clear_problems" in calls and "schedule_everything" in calls


def test_a_missing_checksum_file_is_refused(tmp_path, content):
    archive = create_backup(tmp_path)
    checksum_path(archive).unlink()
    with pytest.raises(BackupError):
        verify_archive(archive)


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    archive = create_backup(tmp_path)
    pages = Page.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--no-index")
    assert "不为空" in str(refused.value)
    assert Page.objects.count() == pages
