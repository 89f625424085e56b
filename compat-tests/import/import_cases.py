"""The three checks every source kind goes through; each test module imports them next to its `source` fixture.

`source` (module scope) yields a `Source`: the SOURCE argument of `tracklite import`, the URL of a reference server
reading that source (for the comparison), extra flags/env of the import, and which parts of the comparison the source
kind holds (a 2.x FileStore has no logged models, traces, GenAI datasets or webhooks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from import_harness import compare, kill_import_half_way, rmtree, run_import, table_counts, tmp_dir, tracklite_server


@dataclass
class Source:
    uri: str
    reference_url: str
    seeded: dict
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    parts: dict[str, bool] = field(default_factory=dict)


def _import_and_compare(source: Source, name: str, resume_after_kill: bool = False) -> tuple[Path, str]:
    tmp = tmp_dir(name)
    db, artifacts = tmp / "tracklite.db", str(tmp / "artifacts")
    if resume_after_kill:
        kill_import_half_way(source.uri, db, artifacts, *source.args, env=source.env)
    r = run_import(source.uri, db, artifacts, *source.args, env=source.env)
    server = tracklite_server(tmp, db, artifacts)
    try:
        d = compare(source.reference_url, server.url, **source.parts)
        d.assert_equal()
    finally:
        server.stop()
    return tmp, r.stdout + r.stderr


def test_import_then_every_read_is_the_same(source: Source):
    """Import, then every experiment, run, history, model, version, alias, trace, dataset, webhook reads the same."""
    tmp, _ = _import_and_compare(source, "once")
    rmtree(tmp)


def test_import_twice_changes_nothing(source: Source):
    """A second import of the same source writes nothing (every table keeps its row count) and still compares equal."""
    tmp = tmp_dir("twice")
    db, artifacts = tmp / "tracklite.db", str(tmp / "artifacts")
    run_import(source.uri, db, artifacts, *source.args, env=source.env)
    first = table_counts(db)
    assert first.get("runs", 0) >= len(source.seeded["runs"]), first
    run_import(source.uri, db, artifacts, *source.args, env=source.env)
    assert table_counts(db) == first
    server = tracklite_server(tmp, db, artifacts)
    try:
        compare(source.reference_url, server.url, **source.parts).assert_equal()
    finally:
        server.stop()
    rmtree(tmp)


def test_killed_half_way_then_resumed(source: Source):
    """SIGKILL the import once a few units are checkpointed, run it again: the result compares equal."""
    tmp, _ = _import_and_compare(source, "resume", resume_after_kill=True)
    rmtree(tmp)
