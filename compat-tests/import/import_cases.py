"""The three checks every source kind goes through; each test module imports them next to its `source` fixture.

`source` (module scope) yields a `Source`: the SOURCE argument of `tracklite import`, the URL of a reference server
reading that source (for the comparison), extra flags/env of the import, and which parts of the comparison the source
kind holds (a 2.x FileStore has no logged models, traces, GenAI datasets or webhooks).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import requests
from import_harness import (
    compare,
    import_command,
    kill_import_half_way,
    rmtree,
    run_import,
    table_counts,
    tmp_dir,
    tracklite_server,
)
from support.servers import _server_env

IMPORT_TIMEOUT = 180.0


@dataclass
class Source:
    uri: str
    reference_url: str
    seeded: dict
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    parts: dict[str, bool] = field(default_factory=dict)


def _import_and_compare(source: Source, name: str, resume_after_kill: bool = False, verify: bool = False) -> Path:
    tmp = tmp_dir(name)
    db, artifacts = tmp / "tracklite.db", str(tmp / "artifacts")
    if resume_after_kill:
        kill_import_half_way(source.uri, db, artifacts, *source.args, env=source.env)
    run_import(source.uri, db, artifacts, *source.args, env=source.env)
    if verify:
        r = _verify(source, db, artifacts)
        assert r.returncode == 0 and "No differences" in r.stdout, f"--verify exited {r.returncode}:\n{r.stdout}{r.stderr}"
    server = tracklite_server(tmp, db, artifacts)
    try:
        d = compare(source.reference_url, server.url, **source.parts)
        d.assert_equal()
        if verify:
            # a change made in tracklite after the import: --verify (reading the running server) must name it
            run_id = source.seeded["runs"]["child"]
            r = requests.post(f"{server.url}/api/2.0/mlflow/runs/set-tag",
                              json={"run_id": run_id, "key": "kind", "value": "changed"}, timeout=30)
            assert r.status_code == 200, r.text
            r = _verify(source, db, artifacts, "--target-url", server.url)
            assert r.returncode == 1, f"--verify exited {r.returncode}:\n{r.stdout}{r.stderr}"
            assert f'run {run_id} in experiment \'import/alpha\': data.tags.[key=kind].value: source "trial", ' \
                   'tracklite "changed"' in r.stdout, r.stdout
    finally:
        server.stop()
    return tmp


def _verify(source: Source, db: Path, artifacts: str, *extra: str) -> subprocess.CompletedProcess:
    cmd = [*import_command(source.uri, db, artifacts, *source.args), "--verify", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=IMPORT_TIMEOUT,
                          env={**_server_env(), **source.env}, cwd=str(db.parent))


def test_import_then_every_read_is_the_same(source: Source):
    """Import; `--verify` finds no difference; every experiment, run, history, logged model, registered model,
    version, alias, prompt, trace, assessment, dataset and webhook reads the same from tracklite as from a reference
    server on the source; then a tag changed in tracklite is named by `--verify` (exit 1)."""
    rmtree(_import_and_compare(source, "once", verify=True))


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
    rmtree(_import_and_compare(source, "resume", resume_after_kill=True))
