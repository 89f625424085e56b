"""A real webhook receiver for the compat tests: an http.server in a thread on 127.0.0.1.

The path picks the answer (``<tag>`` keeps each test's requests apart):
``/ok/<tag>`` 200 "ok"; ``/fail/<n>/<tag>`` 500 for the first n requests, then 200;
``/slow/<seconds>/<tag>`` 200 after that long; ``/status/<code>/<tag>`` that status.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
from dataclasses import dataclass


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: str
    at: float

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


def verify_signature(secret: str, delivery: Delivery, max_age_s: float = 300) -> bool:
    """What MLflow's webhook docs tell a receiver to do: HMAC-SHA256 over
    ``<delivery id>.<timestamp>.<raw body>``, compared in constant time with the ``v1,`` signature,
    and the timestamp must be recent (replay protection)."""
    headers = {k.lower(): v for k, v in delivery.headers.items()}
    signature = headers.get("x-mlflow-signature", "")
    delivery_id = headers.get("x-mlflow-delivery-id", "")
    timestamp = headers.get("x-mlflow-timestamp", "")
    if not signature.startswith("v1,") or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > max_age_s:
        return False
    signed = f"{delivery_id}.{timestamp}.{delivery.body}".encode()
    expected = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(signature[3:], expected)


class Receiver:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                with receiver._lock:
                    receiver.deliveries.append(Delivery(self.path, dict(self.headers), body, time.time()))
                    n = receiver._counts[self.path] = receiver._counts.get(self.path, 0) + 1
                parts = self.path.split("/")
                kind, arg = parts[1], parts[2] if len(parts) > 2 else ""
                status, text = 200, "ok"
                if kind == "fail" and n <= int(arg):
                    status, text = 500, "boom"
                elif kind == "slow":
                    time.sleep(float(arg))
                elif kind == "status":
                    status, text = int(arg), f"status {arg}"
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def at(self, prefix: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.path.startswith(prefix)]

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 20) -> list[Delivery]:
        """The deliveries to ``prefix`` once there are at least ``count`` (delivery is asynchronous)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.at(prefix)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"{len(self.at(prefix))} deliveries to {prefix} after {timeout} s, wanted {count}")

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
