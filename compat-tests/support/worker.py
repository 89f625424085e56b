"""tracklite on Cloudflare Workers, locally: `wrangler dev` (workerd) over a real sqld and s3rver.

COMPAT_TRACKLITE_ON=worker makes every "tracklite" server of the compat suite one of these (see servers.py): a fresh
sqld database migrated by `tracklite db upgrade` (the Worker never migrates), artifacts in the session's s3rver
(COMPAT_ARTIFACTS=s3) or in one of its own, and `wrangler dev --ip 127.0.0.1 --port P` serving apps/worker with the
settings as vars. Stopping it stops all three.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import servers

WORKER_DIR = servers.REPO_ROOT / "apps" / "worker"
# workerd's first start compiles the bundle; wrangler also tries (and fails, offline) to fetch Request.cf data.
WORKER_READY_TIMEOUT = 120.0


class WorkerServer(servers.ServerProcess):
    """A ServerProcess whose command is `wrangler dev`, with the sqld (and s3rver) it needs started first."""

    sqld: servers.Sqld | None = None
    own_s3: servers.S3Endpoint | None = None

    def spawn(self) -> None:
        self.sqld = servers.start_sqld(self.tmpdir)
        db_url = self.sqld.url
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
            self.sqld.stop()
            self.sqld = None
        if self.own_s3 is not None:
            self.own_s3.stop()
            self.own_s3 = None


def worker_server(port: int, tmpdir: Path, env: dict[str, str], extra_args: list[str]) -> WorkerServer:
    """The Worker stand-in for a "tracklite" server; the flags the Worker has are passed as its vars."""
    flags = {"--enable-workspaces": ("MLFLOW_ENABLE_WORKSPACES", "true")}
    unknown = [a for a in extra_args if a not in flags]
    if unknown:
        raise servers.ServerStartError(f"the Worker has no equivalent of {unknown} (it has no local disk or CLI)")
    env = {**env, **dict(flags[a] for a in extra_args)}
    return WorkerServer("tracklite", [], port, tmpdir, WORKER_READY_TIMEOUT, env)
