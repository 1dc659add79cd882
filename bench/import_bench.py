"""Import throughput: `import_disclosures` on SQLite, against the ordinary publish path.

    .venv/bin/python bench/import_bench.py [--records 1000] [--baseline 100] [--unit hegang]

Builds a throwaway platform under var/bench/import/ (bench/_setup.py), generates `--records`
legacy records from the shared corpus (full bodies, every category; every 50th record with an
attachment), imports them, imports them again (all unchanged), publishes `--baseline` records
the ordinary way (add_child + save_revision().publish()) for comparison, checks the result
and writes bench/results/import.md.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _setup


def generate(path, count, files_dir):
    """`count` records cycling through the corpus, each with its own id and title."""
    corpus = [json.loads(line) for line in _setup.CORPUS.read_text(encoding="utf-8").splitlines()]
    files_dir.mkdir(parents=True, exist_ok=True)
    chars = 0
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            source = corpus[number % len(corpus)]
            record = {
                "id": f"bench-{number:06d}",
                "title": f"{source['title']}（{number}）",
                "issuer": source["issuer"],
                "doc_number": source["doc_number"],
                "date": source["date"],
                "category": source["category_hint"],
                "body": source["body"],
            }
            if number % 50 == 0:
                attachment = files_dir / f"附件{number}.pdf"
                attachment.write_bytes(b"%PDF-1.4\n% bench attachment " + str(number).encode())
                record["attachments"] = [f"files/{attachment.name}"]
            chars += len(source["body"])
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return chars / max(count, 1)


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def baseline(path, unit, count):
    """The ordinary path for `count` records: ms per record (wall, cpu)."""
    from django.db import transaction

    from disclosure_pages.importing import UnitCatalogue, _fields_for, parse_record

    catalogue = UnitCatalogue(unit)
    lines = path.read_text(encoding="utf-8").splitlines()[:count]
    records = [
        parse_record(n, line.replace("bench-", "base-", 1), path.parent)
        for n, line in enumerate(lines, 1)
    ]
    records = [record for record in records if not record.attachments]

    def publish_all():
        for record in records:
            with transaction.atomic():
                column = catalogue.column(record.target.class_code)
                page = record.target.model(
                    slug=record.legacy_id,
                    legacy_id=record.legacy_id,
                    **_fields_for(record, catalogue, []),
                )
                column.add_child(instance=page)
                page.save_revision().publish()

    _result, wall, cpu = timed(publish_all)
    return len(records), wall * 1000 / len(records), cpu * 1000 / len(records)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--unit", default="hegang")
    args = parser.parse_args()

    var_dir = _setup.setup("import")
    machine_before = _setup.machine()

    from disclosure_pages import importing
    from disclosure_pages.models import DisclosureItem
    from unit_sites.models import UnitPage

    path = var_dir / "records.jsonl"
    body_chars = generate(path, args.records, var_dir / "files")
    unit = UnitPage.objects.get(slug=args.unit)

    # How much of the import is the bulk indexing pass (search + reference index).
    indexing = {"wall": 0.0, "cpu": 0.0}
    original_flush = importing.PendingIndex.flush

    def measured_flush(self):
        _result, wall, cpu = timed(lambda: original_flush(self))
        indexing["wall"] += wall
        indexing["cpu"] += cpu

    importing.PendingIndex.flush = measured_flush
    # How much is other apps' work on publication (receivers of page_published: the 索引号,
    # cache purges, …), which the import triggers for every new page as publishing does.
    receivers = {"wall": 0.0, "cpu": 0.0}
    original_signal = importing.page_published

    class MeasuredSignal:
        def send(self, *args, **kwargs):
            result, wall, cpu = timed(lambda: original_signal.send(*args, **kwargs))
            receivers["wall"] += wall
            receivers["cpu"] += cpu
            return result

    importing.page_published = MeasuredSignal()
    print(f"Importing {args.records} records into {args.unit}…", flush=True)
    report, wall, cpu = timed(lambda: importing.import_file(path, unit))
    importing.PendingIndex.flush = original_flush
    importing.page_published = original_signal
    print(report.summary(), f"{wall:.1f} s", flush=True)
    again, rerun_wall, rerun_cpu = timed(lambda: importing.import_file(path, unit))
    print("again:", again.summary(), f"{rerun_wall:.1f} s", flush=True)

    # Correct, not only fast: every record live, numbered, searchable.
    items = DisclosureItem.objects.filter(legacy_id__startswith="bench-")
    live = items.live().count()
    numbered = items.exclude(index_number=None).count()
    sample = items.order_by("-pk").first()
    found = DisclosureItem.objects.live().search(sample.title)
    searchable = sample.pk in [item.pk for item in found]

    base_count, base_wall_ms, base_cpu_ms = baseline(path, unit, args.baseline)
    load_after = os.getloadavg()[0]

    rate = report.total / wall
    lines = [
        "# Import benchmark",
        "",
        f"`{' '.join(['.venv/bin/python bench/import_bench.py', *sys.argv[1:]])}` on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"- Machine: {machine_before} (at the start; {load_after:.1f} at the end)",
        f"- Records: {args.records} generated from the shared corpus (all categories, full "
        f"bodies, {body_chars:,.0f} characters on average; every 50th with a PDF attachment), "
        f"into `{args.unit}`",
        "",
        "| run | wall | records/s (wall) | CPU | records/s (CPU) |",
        "|---|---|---|---|---|",
        f"| first import: {report.summary()} | {wall:.1f} s | **{rate:.0f}** | {cpu:.1f} s "
        f"| {report.total / cpu:.0f} |",
        f"| of which the bulk indexing pass (search + references) | {indexing['wall']:.1f} s "
        f"| | {indexing['cpu']:.1f} s | |",
        f"| of which the `page_published` receivers of all apps | {receivers['wall']:.1f} s "
        f"| | {receivers['cpu']:.1f} s | |",
        f"| import without the indexing pass | {wall - indexing['wall']:.1f} s "
        f"| {report.total / max(wall - indexing['wall'], 1e-9):.0f} | "
        f"{cpu - indexing['cpu']:.1f} s | {report.total / max(cpu - indexing['cpu'], 1e-9):.0f} |",
        f"| again (nothing changed): {again.summary()} | {rerun_wall:.1f} s "
        f"| {again.total / rerun_wall:.0f} | {rerun_cpu:.1f} s | {again.total / rerun_cpu:.0f} |",
        "",
        f"Ordinary path for comparison (add_child + save_revision().publish(), {base_count} of "
        f"the same records): **{base_wall_ms:.0f} ms** per record wall, {base_cpu_ms:.0f} ms "
        f"CPU ({1000 / base_wall_ms:.0f} records/s); the import path takes "
        f"{wall * 1000 / report.total:.0f} ms wall, {cpu * 1000 / report.total:.0f} ms CPU.",
        "",
        f"Checks: {live} of {args.records} imported items live, {numbered} with an index "
        f"number, a sample title {'found' if searchable else 'NOT found'} by search.",
        "",
        "Wall time depends on the machine's load (the CPU columns much less): compare runs "
        "by records/s (CPU) when the load average is high.",
        "",
    ]
    _setup.RESULTS_DIR.mkdir(exist_ok=True)
    result = _setup.RESULTS_DIR / "import.md"
    result.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"Written to {result}")
    if report.failed or live != args.records or not searchable:
        sys.exit(1)


if __name__ == "__main__":
    main()
