"""What the import end-to-end tests share: seeding a source, running `tracklite import`, and the route-by-route
comparison of a reference server on the source with tracklite on the imported store.

The comparison replays the REST reads a user's client makes after moving (every experiment, run, metric history,
logged model, registered model, version, alias, prompt, trace, assessment, dataset, webhook) against both servers with
the differential harness (support/diff.py). An import keeps ids and timestamps, so unlike the differential suite no
time is masked: both sides must answer the same values.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from support.diff import Differ
from support.servers import (
    REFERENCE_READY_TIMEOUT,
    TRACKLITE_CLI,
    TRACKLITE_READY_TIMEOUT,
    WEBHOOK_TEST_ENV,
    ServerProcess,
    _node,
    _server_env,
    free_port,
    server_args,
)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
MLFLOW2_PYTHON = REPO_ROOT / ".venvs" / "mlflow-2" / "bin" / "python"
# Every `tracklite import` of these tests must end well within this (the sources are small).
IMPORT_TIMEOUT = 180.0


def tmp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"compat-import-{prefix}-"))


def start(proc: ServerProcess) -> ServerProcess:
    proc.spawn()
    proc.wait_ready()
    return proc


def reference_server(tmpdir: Path, backend_store_uri: str, artifacts: str, prefix: str | None = None,
                     extra_args: list[str] | None = None, extra_env: dict[str, str] | None = None) -> ServerProcess:
    """A reference server (this venv's mlflow, or the one under `prefix`) on the given store, started and ready. It
    takes webhooks to a loopback address (seed.py's webhook is never called: it is created last)."""
    mlflow_bin = Path(prefix or sys.prefix) / "bin" / "mlflow"
    port = free_port()
    cmd = [str(mlflow_bin), *server_args(port, backend_store_uri, artifacts), "--workers", "1", *(extra_args or [])]
    return start(ServerProcess("reference", cmd, port, tmpdir, REFERENCE_READY_TIMEOUT,
                               {**_server_env(), **WEBHOOK_TEST_ENV, **(extra_env or {})}))


def tracklite_server(tmpdir: Path, db: Path, artifacts: str) -> ServerProcess:
    """tracklite on an imported store, started and ready."""
    port = free_port()
    cmd = [_node(), str(TRACKLITE_CLI), *server_args(port, f"file:{db}", artifacts)]
    return start(ServerProcess("tracklite", cmd, port, tmpdir, TRACKLITE_READY_TIMEOUT, _server_env()))


def seed(url: str, history: int = 300) -> dict[str, Any]:
    """Runs seed.py (this venv's MLflow 3 client) against a server; returns what it printed."""
    env = {**_server_env(), "MLFLOW_TRACKING_URI": url, "MLFLOW_DISABLE_TELEMETRY": "true",
           "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0"}
    r = subprocess.run([sys.executable, str(HERE / "seed.py"), str(history)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, f"seed.py failed ({r.returncode}):\n{r.stderr[-4000:]}"
    return json.loads(r.stdout.strip().splitlines()[-1])


def seed_file_store_v2(folder: Path, history: int = 300) -> dict[str, Any]:
    """Runs seed_v2.py with the MLflow 2.x client, which writes a FileStore `mlruns/` folder; returns what it printed."""
    env = {**_server_env(), "MLFLOW_DISABLE_TELEMETRY": "true"}
    r = subprocess.run([str(MLFLOW2_PYTHON), str(HERE / "seed_v2.py"), str(folder), str(history)], env=env,
                       capture_output=True, text=True, timeout=300, cwd=str(folder.parent))
    assert r.returncode == 0, f"seed_v2.py failed ({r.returncode}):\n{r.stderr[-4000:]}"
    return json.loads(r.stdout.strip().splitlines()[-1])


def import_command(source: str, db: Path, artifacts: str, *extra: str) -> list[str]:
    return [_node(), str(TRACKLITE_CLI), "import", source, "--backend-store-uri", f"file:{db}",
            "--artifacts-destination", artifacts, *extra]


def run_import(source: str, db: Path, artifacts: str, *extra: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`tracklite import SOURCE` into a file store; fails the test with its output when it does not exit 0."""
    r = subprocess.run(import_command(source, db, artifacts, *extra), capture_output=True, text=True,
                       timeout=IMPORT_TIMEOUT, env={**_server_env(), **(env or {})}, cwd=str(db.parent))
    assert r.returncode == 0, f"tracklite import {source} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def kill_import_half_way(source: str, db: Path, artifacts: str, *extra: str,
                         env: dict[str, str] | None = None, after_units: int = 2) -> None:
    """Starts an import and SIGKILLs it once its checkpoint holds `after_units` done units (the sink commits a unit
    with its checkpoint row), i.e. half-way through the source; asserts it was really killed, not finished."""
    import sqlite3

    proc = subprocess.Popen(import_command(source, db, artifacts, *extra), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**_server_env(), **(env or {})}, cwd=str(db.parent),
                            start_new_session=True)
    deadline = time.monotonic() + IMPORT_TIMEOUT
    done = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
                try:
                    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
                    table = next((t for t in tables if "import" in t and "checkpoint" in t), None)
                    done = con.execute(f"select count(*) from {table}").fetchone()[0] if table else 0
                finally:
                    con.close()
            except sqlite3.Error:
                done = 0
            if done >= after_units:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None and done < after_units:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, (
        f"the import was to be killed half-way (after {after_units} checkpointed units) but exited "
        f"{proc.returncode} first:\n{err[-3000:]}")


class ImportDiffer(Differ):
    """The differential harness without masking of ids and times: an import keeps every id and every timestamp, so
    both sides must answer the same values (numbering ids by appearance would also let an entity missing on one side
    shift every later id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for srv in self.servers:
            srv.placeholder_run = lambda rid: rid  # type: ignore[method-assign]

    def _mask_time(self, v: Any) -> Any:
        return v

    def _mask_value(self, srv: Any, v: Any, key: str | None) -> Any:
        if key == "latest_versions" and isinstance(v, list):
            # one version per stage, listed in the database's storage order (no ORDER BY: PostgreSQL and SQLite
            # differ): compared by version number
            v = sorted(v, key=lambda mv: int(mv.get("version", 0)) if isinstance(mv, dict) else 0)
        return super()._mask_value(srv, v, key)


PARTS = ("runs", "logged_models", "traces", "registry", "datasets", "webhooks")


def compare(ref_url: str, tracklite_url: str, parts: tuple[str, ...] = PARTS) -> ImportDiffer:
    """Replays the reads a client makes after the move against the reference (side A, on the source) and tracklite
    (side B, on the import); returns the differ (call `assert_equal()`). `parts` picks what is read besides the
    experiments: "runs" (every run, every metric history, a filtered search), "logged_models", "traces" (with spans
    and assessments), "registry" (models, prompts, versions, aliases), "datasets" (GenAI datasets with records),
    "webhooks". The lists come from the reference's answers; each item is then read on both sides by the same id."""
    d = ImportDiffer(ref_url, tracklite_url, name_a="reference (source)", name_b="tracklite (imported)")
    exps = _body(d.post("experiments/search", {"max_results": 1000, "view_type": "ALL"},
                        label="all experiments"))["experiments"]
    assert exps, "the source has no experiment"
    for exp in exps:
        eid = exp["experiment_id"]
        d.get("experiments/get", {"experiment_id": eid}, label=f"experiment {eid}")
        d.get("experiments/get-by-name", {"experiment_name": exp["name"]}, label=f"experiment {exp['name']!r}")
        if "runs" in parts:
            runs = _body(d.post("runs/search", {"experiment_ids": [eid], "run_view_type": "ALL", "max_results": 1000},
                                label=f"runs of {eid}")).get("runs", [])
            for run in runs:
                rid = run["info"]["run_id"]
                body = _body(d.get("runs/get", {"run_id": rid}, label=f"run {rid}"))
                for metric in body["run"]["data"].get("metrics", []):
                    d.get("metrics/get-history", {"run_id": rid, "metric_key": metric["key"], "max_results": 25000},
                          label=f"history {rid}/{metric['key']}")
            d.post("runs/search", {"experiment_ids": [eid], "run_view_type": "ACTIVE_ONLY",
                                   "filter": "metrics.`train/loss` < 1 and params.lr = '0.01'"},
                   label=f"filtered runs of {eid}")
        if "logged_models" in parts:
            models = _body(d.post("logged-models/search", {"experiment_ids": [eid], "max_results": 100},
                                  label=f"logged models of {eid}")).get("models", [])
            for m in models:
                d.get(f"logged-models/{m['info']['model_id']}", label=f"logged model {m['info']['model_id']}")
        if "traces" in parts:
            found = _body(d.post("/api/3.0/mlflow/traces/search", {
                "locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": eid}}],
                "max_results": 100}, label=f"traces of {eid}")).get("traces", [])
            for t in found:
                tid = t["trace_id"]
                d.get(f"/api/3.0/mlflow/traces/{tid}", label=f"trace info {tid}")
                d.get("/api/3.0/mlflow/traces/get", {"trace_id": tid}, label=f"trace {tid} with spans")
                for a in t.get("assessments", []):
                    d.get(f"/api/3.0/mlflow/traces/{tid}/assessments/{a['assessment_id']}",
                          label=f"assessment {a['assessment_id']}")
    if "registry" in parts:
        names = [m["name"] for m in _body(d.get("registered-models/search", {"max_results": 1000},
                                                label="registered models")).get("registered_models", [])]
        prompts = _body(d.get("registered-models/search", {
            "max_results": 1000, "filter": "tags.`mlflow.prompt.is_prompt` = 'true'"}, label="prompts"))
        names += [m["name"] for m in prompts.get("registered_models", [])]
        for name in names:
            model = _body(d.get("registered-models/get", {"name": name}, label=f"registered model {name}"))
            versions = _body(d.get("model-versions/search", {"filter": f"name = '{name}'", "max_results": 1000},
                                   label=f"versions of {name}")).get("model_versions", [])
            for v in versions:
                d.get("model-versions/get", {"name": name, "version": v["version"]}, label=f"{name} v{v['version']}")
            for alias in model["registered_model"].get("aliases", []):
                d.get("registered-models/alias", {"name": name, "alias": alias["alias"]},
                      label=f"{name}@{alias['alias']}")
    if "datasets" in parts:
        found = _body(d.post("/api/3.0/mlflow/datasets/search", {"max_results": 100},
                             label="evaluation datasets")).get("datasets", [])
        for ds in found:
            did = ds["dataset_id"]
            d.get(f"/api/3.0/mlflow/datasets/{did}", label=f"dataset {did}")
            d.get(f"/api/3.0/mlflow/datasets/{did}/records", {"max_results": 1000}, label=f"records of {did}")
            d.get(f"/api/3.0/mlflow/datasets/{did}/experiment-ids", label=f"experiments of {did}")
    if "webhooks" in parts:
        for hook in _body(d.get("webhooks", {"max_results": 100}, label="webhooks")).get("webhooks", []):
            d.get(f"webhooks/{hook['webhook_id']}", label=f"webhook {hook['name']}")
    return d


def _body(responses) -> dict:
    """The reference's (side A's) answer, which drives what is read next; it must be a success."""
    ref = responses[0]
    assert ref.status == 200 and isinstance(ref.body, dict), f"reference answered {ref.status}: {ref.raw[:1000]}"
    return ref.body


def table_counts(db: Path) -> dict[str, int]:
    """Row count of every table of a tracklite database (for "importing twice changes nothing")."""
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' "
                                            "and name not like 'sqlite_%'")]
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def rmtree(path: Path) -> None:
    if os.environ.get("COMPAT_KEEP_TMP") != "1":
        shutil.rmtree(path, ignore_errors=True)


PG_BIN = Path(os.environ.get("TRACKLITE_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Postgres:
    """Debian's PostgreSQL on a throwaway data folder, on loopback and a free port. PostgreSQL refuses to run as root,
    so as root it runs as the `postgres` user (which owns the folder). Missing binaries fail the test, never skip it:
    `npm test` installs the `postgresql` package (scripts/test-all.mjs)."""

    def __init__(self, folder: Path) -> None:
        for tool in ("initdb", "postgres"):
            if not (PG_BIN / tool).exists():
                raise RuntimeError(f"no {PG_BIN / tool}: install Debian's postgresql (apt-get install postgresql) "
                                   "or set TRACKLITE_PG_BIN")
        self.folder = folder
        self.data = folder / "data"
        self.sockets = folder / "sockets"
        self.sockets.mkdir(parents=True)
        self.port = free_port()
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_user:
            os.chmod(folder.parent, 0o755)  # a mkdtemp folder (0700): postgres must reach its own folder below
            shutil.chown(folder, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._as_user = as_user
        r = subprocess.run([*as_user, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                            "--auth=trust", "-E", "UTF8", "--no-sync"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"initdb failed:\n{r.stderr[-3000:]}"
        self.log = folder / "postgres.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [*as_user, str(PG_BIN / "postgres"), "-D", str(self.data), "-k", str(self.sockets), "-p",
                 str(self.port), "-h", "127.0.0.1", "-c", "fsync=off"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            if (self.sockets / f".s.PGSQL.{self.port}").exists() and self._psql("select 1", "postgres") == 0:
                break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"postgres did not start in 60 s: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def _psql(self, sql: str, db: str) -> int:
        import psycopg2

        try:
            con = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=db, connect_timeout=2)
        except psycopg2.OperationalError:
            return 1
        try:
            con.autocommit = True
            con.cursor().execute(sql)
        finally:
            con.close()
        return 0

    def create_database(self, name: str) -> str:
        """Creates a database; returns its URI (the form both the reference and `tracklite import` take)."""
        assert self._psql(f'create database "{name}"', "postgres") == 0
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # "fast" shutdown: SIGTERM ("smart") waits for clients
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
