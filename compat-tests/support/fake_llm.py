"""A stand-in for an LLM provider: a stdlib HTTP server on 127.0.0.1 answering OpenAI's
`POST /v1/chat/completions` with a fixed completion (including `usage` token counts).

It replaces only the remote provider the `openai` package would call; the tracing under test is the real
`mlflow.openai.autolog()` talking to a real tracking server.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = "The capital of France is Paris."
USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append((self.path, body))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            return
        self._send(200, {
            "id": "chatcmpl-compat-1",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body.get("model", "gpt-compat"),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": REPLY}}],
            "usage": USAGE,
        })

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


class FakeOpenAI:
    """Start with `FakeOpenAI()`, use `.base_url` as the client's base_url, `.stop()` when done."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def requests(self) -> list[tuple[str, dict]]:
        return self.server.requests

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
