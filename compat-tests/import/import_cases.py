"""The checks every source kind goes through; each test module imports them next to its `source` fixture.

`source` (module scope) yields a `Source`: the SOURCE argument of `tracklite import`, the URL of a reference server
reading that source (for the comparison), extra flags/env of the import, and the entity families the source kind
holds (a 2.x FileStore has no logged models, traces, GenAI datasets or webhooks: those checks do not apply to it).

The module imports once (`imported`), then compares family by family, so that what does not come across yet is named
by the family's own test; then imports a second time into the same store (nothing changes), lets `--verify` name a
change made in tracklite, and separately kills an import half-way and resumes it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from import_harness import (
    PARTS,
    compare,
    import_command,
    kill_import_half_way,
    rmtree,
    run_import,
    table_counts,
    tmp_dir,
    tracklite_server,
)
from support.servers import ServerProcess, _server_env

IMPORT_TIMEOUT = 180.0

# What a test module takes with `from import_cases import *`: the Source type, the `imported` fixture and every shared
# check (pytest collects them in that module, next to its own `source` fixture, in this order).
__all__ = [
    "Source",
    "imported",
    "test_evaluation_datasets_and_records_read_the_same",
    "test_experiments_runs_and_histories_read_the_same",
    "test_import_twice_changes_nothing",
    "test_killed_half_way_then_resumed",
    "test_logged_models_read_the_same",
    "test_registry_prompts_versions_and_aliases_read_the_same",
    "test_traces_spans_and_assessments_read_the_same",
    "test_verify_finds_no_difference",
    "test_verify_names_a_change_made_in_tracklite",
    "test_webhooks_read_the_same",
]


@dataclass
class Source:
    uri: str
    reference_url: str
    seeded: dict
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    parts: tuple[str, ...] = PARTS
    # families the import does not bring across from this kind yet (strict xfails naming the gap)
    not_imported: dict[str, str] = field(default_factory=dict)
    # the families this kind's reader yields: those in `not_imported` make `--verify` differ
    reads: tuple[str, ...] = PARTS
    # known failures of this source kind, by compared part ("runs", "registry"…, "resume"): strict xfails naming why
    known: dict[str, str] = field(default_factory=dict)


@dataclass
class Imported:
    db: Path
    artifacts: str
    server: ServerProcess


@pytest.fixture(scope="module")
def imported(source: Source):
    """The source imported once into a fresh store, and tracklite serving it."""
    tmp = tmp_dir("once")
    db, artifacts = tmp / "tracklite.db", str(tmp / "artifacts")
    try:
        run_import(source.uri, db, artifacts, *source.args, env=source.env)
        server = tracklite_server(tmp, db, artifacts)
        try:
            yield Imported(db, artifacts, server)
        finally:
            server.stop()
    finally:
        rmtree(tmp)


def _verify(source: Source, db: Path, artifacts: str, *extra: str) -> subprocess.CompletedProcess:
    cmd = [*import_command(source.uri, db, artifacts, *source.args), "--verify", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=IMPORT_TIMEOUT,
                          env={**_server_env(), **source.env}, cwd=str(db.parent))


def _known_gap(request, reason: str | None) -> None:
    if reason:
        request.node.add_marker(pytest.mark.xfail(strict=True, reason=reason))


def _compare(request, source: Source, imported: Imported, part: str) -> None:
    if part not in source.parts:
        pytest.skip(f"this source kind holds no {part.replace('_', ' ')}")
    _known_gap(request, source.not_imported.get(part) or source.known.get(part))
    compare(source.reference_url, imported.server.url, (part,)).assert_equal()


def test_verify_finds_no_difference(request, source: Source, imported: Imported):
    """`tracklite import --verify` (tracklite opened in-process) finds nothing missing or different."""
    gaps = [source.not_imported[p] for p in source.reads if p in source.not_imported]
    _known_gap(request, "; ".join(gaps))
    r = _verify(source, imported.db, imported.artifacts)
    assert r.returncode == 0 and "No differences" in r.stdout, f"--verify exited {r.returncode}:\n{r.stdout}{r.stderr}"


def test_experiments_runs_and_histories_read_the_same(request, source: Source, imported: Imported):
    """Every experiment (also deleted), run (also deleted: info, params, tags, inputs, outputs, latest metrics), every
    metric history and a filtered search answer the same from tracklite as from a reference server on the source."""
    _compare(request, source, imported, "runs")


def test_logged_models_read_the_same(request, source: Source, imported: Imported):
    _compare(request, source, imported, "logged_models")


def test_traces_spans_and_assessments_read_the_same(request, source: Source, imported: Imported):
    _compare(request, source, imported, "traces")


def test_registry_prompts_versions_and_aliases_read_the_same(request, source: Source, imported: Imported):
    _compare(request, source, imported, "registry")


def test_evaluation_datasets_and_records_read_the_same(request, source: Source, imported: Imported):
    _compare(request, source, imported, "datasets")


def test_webhooks_read_the_same(request, source: Source, imported: Imported):
    _compare(request, source, imported, "webhooks")


def test_import_twice_changes_nothing(source: Source, imported: Imported):
    """A second import into the same store writes nothing: every table keeps its row count."""
    first = table_counts(imported.db)
    assert first.get("runs", 0) >= len(source.seeded["runs"]), first
    run_import(source.uri, imported.db, imported.artifacts, *source.args, env=source.env)
    assert table_counts(imported.db) == first


def test_verify_names_a_change_made_in_tracklite(source: Source, imported: Imported):
    """A tag changed in tracklite after the import: `--verify --target-url` (the running server) names the run, the
    field and both values, and exits 1. (Last of the module: it changes the imported store.)"""
    run_id = source.seeded["runs"]["child"]
    r = requests.post(f"{imported.server.url}/api/2.0/mlflow/runs/set-tag",
                      json={"run_id": run_id, "key": "kind", "value": "changed"}, timeout=30)
    assert r.status_code == 200, r.text
    r = _verify(source, imported.db, imported.artifacts, "--target-url", imported.server.url)
    assert r.returncode == 1, f"--verify exited {r.returncode}:\n{r.stdout}{r.stderr}"
    expected = f"run {run_id} in experiment 'import/alpha': data.tags.[key=kind].value: source \"trial\", " \
               "tracklite \"changed\""
    assert expected in r.stdout, r.stdout


def test_killed_half_way_then_resumed(request, source: Source):
    """SIGKILL an import once a few units are checkpointed, run it again: experiments, runs and every history then
    read the same as the source's."""
    _known_gap(request, source.known.get("runs"))
    tmp = tmp_dir("resume")
    db, artifacts = tmp / "tracklite.db", str(tmp / "artifacts")
    try:
        kill_import_half_way(source.uri, db, artifacts, *source.args, env=source.env)
        run_import(source.uri, db, artifacts, *source.args, env=source.env)
        server = tracklite_server(tmp, db, artifacts)
        try:
            compare(source.reference_url, server.url, ("runs",)).assert_equal()
        finally:
            server.stop()
    finally:
        rmtree(tmp)
