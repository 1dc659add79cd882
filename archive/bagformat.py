"""The BagIt container (RFC 8493): writing a bag's tag files and checking a bag.

Small enough to keep here rather than depend on a library: a payload under `data/`, SHA-256
payload and tag manifests, `bagit.txt` and `bag-info.txt` with Payload-Oxum. The tests check
that the Library of Congress' own `bagit` package accepts what is written here.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
CHUNK = 1024 * 1024


class Problem:
    """Kinds of problem `verify` reports."""

    MISSING = "missing"
    EXTRA = "extra"
    CHECKSUM = "checksum"
    OXUM = "oxum"
    FORMAT = "format"


@dataclass(frozen=True)
class BagProblem:
    kind: str
    path: str
    message: str

    def __str__(self):
        return self.message


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _relative(path, root):
    return path.relative_to(root).as_posix()


def _encode_path(name):
    """Manifest paths percent-encode only CR, LF and % (RFC 8493, 2.1.3)."""
    return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _decode_path(name):
    return (
        name.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
    )


def _files_under(directory):
    return sorted(p for p in directory.rglob("*") if p.is_file())


def write_tag_files(bag_dir, info):
    """Turn a directory whose payload is already in `data/` into a complete bag.

    `info` is an ordered list of (label, value) pairs for bag-info.txt; Bagging-Date and
    Payload-Oxum are added here."""
    bag_dir = Path(bag_dir)
    payload = _files_under(bag_dir / "data")
    lines, octets = [], 0
    for path in payload:
        octets += path.stat().st_size
        lines.append(f"{sha256_of(path)}  {_encode_path(_relative(path, bag_dir))}\n")
    (bag_dir / MANIFEST).write_text("".join(lines), encoding="utf-8")
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    info = [
        *info,
        ("Bagging-Date", timezone.localdate().isoformat()),
        ("Payload-Oxum", f"{octets}.{len(payload)}"),
    ]
    text = "".join(f"{label}: {' '.join(str(value).split())}\n" for label, value in info)
    (bag_dir / "bag-info.txt").write_text(text, encoding="utf-8")
    tag_lines = [
        f"{sha256_of(bag_dir / name)}  {name}\n" for name in ("bagit.txt", "bag-info.txt", MANIFEST)
    ]
    (bag_dir / TAGMANIFEST).write_text("".join(tag_lines), encoding="utf-8")


def read_bag_info(bag_dir):
    """bag-info.txt as a dict of label → list of values (labels may repeat)."""
    info = {}
    label = None
    path = Path(bag_dir) / "bag-info.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line[:1] in (" ", "\t") and label:  # continuation line
            info[label][-1] += " " + line.strip()
            continue
        label, _sep, value = line.partition(":")
        label = label.strip()
        info.setdefault(label, []).append(value.strip())
    return info


def _read_manifest(bag_dir, name, problems):
    """Entries of a manifest as {relative path: checksum}; malformed lines are problems."""
    entries = {}
    path = bag_dir / name
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        checksum, _sep, filename = line.partition(" ")
        filename = _decode_path(filename.strip())
        if not filename or len(checksum) != 64:
            problems.append(
                BagProblem(
                    Problem.FORMAT,
                    name,
                    _("%(file)s line %(line)s is not a valid manifest line.")
                    % {"file": name, "line": number},
                )
            )
            continue
        entries[filename] = checksum.lower()
    return entries


def _unsafe(filename):
    parts = Path(filename).parts
    return filename.startswith("/") or ".." in parts or not parts


def _check_entries(bag_dir, entries, problems):
    for filename, expected in sorted(entries.items()):
        if _unsafe(filename):
            problems.append(
                BagProblem(
                    Problem.FORMAT,
                    filename,
                    _("The manifest names a path outside the bag: %(path)s") % {"path": filename},
                )
            )
            continue
        path = bag_dir / filename
        if not path.is_file():
            problems.append(
                BagProblem(
                    Problem.MISSING,
                    filename,
                    _("Missing file: %(path)s (listed in the manifest)") % {"path": filename},
                )
            )
        elif sha256_of(path) != expected:
            problems.append(
                BagProblem(
                    Problem.CHECKSUM,
                    filename,
                    _("Checksum mismatch, the file was changed: %(path)s") % {"path": filename},
                )
            )


def verify(bag_dir):
    """Every problem of a bag, as a list of `BagProblem` (empty: the bag is valid and complete)."""
    bag_dir = Path(bag_dir)
    problems = []
    if not bag_dir.is_dir():
        return [
            BagProblem(
                Problem.MISSING,
                str(bag_dir),
                _("No archive package directory at %(path)s.") % {"path": bag_dir},
            )
        ]
    for name in ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST):
        if not (bag_dir / name).is_file():
            problems.append(
                BagProblem(Problem.MISSING, name, _("Missing tag file: %(path)s") % {"path": name})
            )
    if not (bag_dir / "data").is_dir():
        problems.append(
            BagProblem(Problem.MISSING, "data", _("The bag has no payload directory data/."))
        )
    if problems:
        return problems
    if "BagIt-Version" not in (bag_dir / "bagit.txt").read_text(encoding="utf-8"):
        problems.append(
            BagProblem(Problem.FORMAT, "bagit.txt", _("bagit.txt does not declare a version."))
        )

    # Tag manifest first: a changed manifest or bag-info.txt shows up here.
    tag_entries = _read_manifest(bag_dir, TAGMANIFEST, problems)
    _check_entries(bag_dir, tag_entries, problems)
    payload_entries = _read_manifest(bag_dir, MANIFEST, problems)
    for filename in payload_entries:
        if not filename.startswith("data/"):
            problems.append(
                BagProblem(
                    Problem.FORMAT,
                    filename,
                    _("The payload manifest names a file outside data/: %(path)s")
                    % {"path": filename},
                )
            )
    _check_entries(bag_dir, payload_entries, problems)

    # Files nobody listed: in the payload, or tag files the tag manifest does not cover.
    for path in _files_under(bag_dir):
        filename = _relative(path, bag_dir)
        listed = filename in payload_entries or filename in tag_entries
        if filename == TAGMANIFEST or listed:
            continue
        problems.append(
            BagProblem(
                Problem.EXTRA,
                filename,
                _("Extra file not in any manifest: %(path)s") % {"path": filename},
            )
        )

    oxum = read_bag_info(bag_dir).get("Payload-Oxum", [""])[0]
    payload = _files_under(bag_dir / "data")
    actual = f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    if oxum != actual:
        problems.append(
            BagProblem(
                Problem.OXUM,
                "bag-info.txt",
                _("Payload-Oxum is %(declared)s but the payload is %(actual)s (bytes.files).")
                % {"declared": oxum or "-", "actual": actual},
            )
        )
    return problems
