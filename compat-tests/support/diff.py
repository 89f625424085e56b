"""Differential REST harness: send the same request sequence to two servers,
mask volatile values and compare (status, JSON body) step by step.

Masking rules (see also compat-tests/README.md):
* run ids (32 lowercase hex chars, anywhere in a string) -> ``<run:N>``, N by
  order of first appearance *on that server*, so equality still checks that the
  same id is referred to consistently;
* experiment ids returned by ``experiments/create`` -> ``<exp:N>`` (in
  ``experiment_id`` fields, ``experiment_ids`` lists, ``mlflow-artifacts:/<id>/``
  URIs and ``id=<id>``-like mentions inside messages);
* generated run names (only for runs the scenario did not name) -> ``<run-name:N>``;
  generated logged-model names likewise (``unnamed_run=True`` on the create step);
* webhook ids (UUIDs) -> ``<webhook:N>`` by order of first appearance on that server,
  also inside messages;
* ``next_page_token`` values are opaque -> ``<page-token>`` (presence is compared;
  scenarios pass each server its own token back);
* time fields (start_time, end_time, creation_time, last_update_time, timestamp,
  creation_timestamp_ms, last_updated_timestamp_ms, the registry's creation_timestamp,
  last_updated_timestamp, and the v2 trace info's timestamp_ms)
  -> ``<time>`` when their value was not sent by the scenario itself; a value that
  is not a plausible "now" in epoch milliseconds becomes ``<bad-time:...>``;
* proto Timestamp fields written as RFC 3339 strings (traces v3: request_time; assessments:
  create_time, last_update_time) -> ``<iso-time>`` by the same rule (a string the scenario
  sent, compared as an instant, is kept as is; otherwise a plausible "now" is masked,
  anything else becomes ``<bad-time:...>``);
* trace ids (``tr-`` + 32 hex) and assessment ids (``a-`` + 32 hex) need no rule of their
  own: their hex part is numbered like a run id (``tr-<run:N>``), so a scenario that
  chooses its trace ids sends the same ones to both servers and generated ones are
  compared by order of appearance;
* error messages that are only a leaked SQLAlchemy dump -> ``<sql-error>`` on the
  reference side, and the candidate's message is then not compared (status and
  error_code still are); a SQL dump appended to a real message is cut off;
* Python set reprs inside error messages are sorted (their order is random);
* the ``tags`` and ``request_metadata`` lists of an MLflow 2 trace info (a dict with ``request_id``
  and ``execution_time_ms``) are sorted by key: the reference lists them in its storage order and
  every client turns them into a dict;
* numbers are compared by value (1 == 1.0); NaN/Infinity compare as tokens;
* an assessment expectation's ``serialized_value.value`` (JSON text) is compared by content: the
  reference writes object keys in a random order;
* the trace filter correlation's ``npmi`` and ``npmi_smoothed`` are compared to 12 significant
  digits (the last bits depend on the order of floating-point operations);
* dict key order is irrelevant, list order is compared as is.

Differences explained everywhere (KNOWN_DIFFERENCES.md ids, see ``_global_known``): ``inf-clamp``,
``no-5xx-for-client-errors``, ``html-error-pages``, and ``trace-spans-from-artifacts`` (the reference's 500
"Trace data not stored in tracking store" where tracklite answers 200 with the spans of traces.json, or 404
``RESOURCE_DOES_NOT_EXIST`` for a trace with no spans anywhere).
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests

API = "/api/2.0/mlflow/"
RUN_ID_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
TIME_KEYS = {"start_time", "end_time", "creation_time", "last_update_time", "timestamp",
             "creation_timestamp_ms", "last_updated_timestamp_ms", "creation_timestamp", "last_updated_timestamp",
             "timestamp_ms"}
# statistics computed in floating point (trace filter correlation): equal to 12 significant digits
ROUNDED_KEYS = {"npmi", "npmi_smoothed"}
# proto Timestamp fields (RFC 3339 strings in JSON) of traces and assessments
ISO_TIME_KEYS = {"request_time", "create_time", "last_update_time"}
ISO_TIME_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


def _iso_ms(v: str) -> int | None:
    """Epoch milliseconds of an RFC 3339 UTC timestamp (the form protobuf's JSON writer uses), else None."""
    import calendar

    m = ISO_TIME_RE.fullmatch(v)
    if not m:
        return None
    secs = calendar.timegm(tuple(int(x) for x in m.groups()[:6]) + (0, 0, 0))
    frac = (m.group(7) or "0").ljust(9, "0")
    return secs * 1000 + int(frac) // 1_000_000
VAR_RE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
# SQLAlchemy details leak into some reference error messages
# ("... already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed ...",
# or a message that is only such a dump). Only the part before the SQL error is
# part of the contract.
SQL_NOISE_RE = re.compile(r"\((?:raised as a result of|sqlite3\.|psycopg|pymysql)|\[SQL: ")


def _strip_sql_noise(msg: str) -> str:
    """Cut a leaked SQLAlchemy error dump; a message that is nothing but one
    becomes ``<sql-error>``."""
    m = SQL_NOISE_RE.search(msg)
    if not m:
        return msg
    head = msg[: m.start()].rstrip()
    head = re.sub(r"\s*Error:$", "", head)
    return head or "<sql-error>"


# Python set reprs inside reference messages ("not one of '{'!=', 'IN', ...}'") have
# a random order (hash randomization): sort their items.
SET_REPR_RE = re.compile(r"\{('[^']*'(?:, '[^']*')+)\}")


def _sort_set_repr(m: re.Match) -> str:
    items = re.findall(r"'[^']*'", m.group(1))
    return "{" + ", ".join(sorted(items)) + "}"


class Missing:
    pass


MISSING = Missing()


def _get_path(obj: Any, path: str) -> Any:
    cur = obj
    for part in path.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                return MISSING
            cur = cur[part]
        else:
            return MISSING
    return cur


def _substitute(obj: Any, variables: dict[str, Any]) -> Any:
    if isinstance(obj, str):
        # a variable the server's earlier answer did not provide is sent as
        # "<missing:name>", so the difference shows up in the comparison
        m = VAR_RE.fullmatch(obj)
        if m:
            return variables.get(m.group(1), f"<missing:{m.group(1)}>")
        return VAR_RE.sub(lambda mm: str(variables.get(mm.group(1), f"<missing:{mm.group(1)}>")), obj)
    if isinstance(obj, list):
        return [_substitute(x, variables) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_substitute(x, variables) for x in obj)
    if isinstance(obj, dict):
        return {k: _substitute(v, variables) for k, v in obj.items()}
    return obj


def _collect_numbers(obj: Any, out: set) -> None:
    if isinstance(obj, bool):
        return
    if isinstance(obj, (int, float)):
        out.add(obj)
    elif isinstance(obj, str):
        if re.fullmatch(r"-?\d{1,19}", obj):
            out.add(int(obj))
        elif (ms := _iso_ms(obj)) is not None:
            out.add(ms)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _collect_numbers(x, out)
    elif isinstance(obj, dict):
        for x in obj.values():
            _collect_numbers(x, out)


@dataclass
class Response:
    status: int
    body: Any  # parsed JSON, {"__text__": ...} or None (ignored)
    raw: str
    content_type: str


@dataclass
class ServerState:
    name: str
    base_url: str
    variables: dict[str, Any] = field(default_factory=dict)
    run_ids: dict[str, str] = field(default_factory=dict)
    exp_ids: dict[str, str] = field(default_factory=dict)
    run_names: dict[str, str] = field(default_factory=dict)
    webhook_ids: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=requests.Session)

    def placeholder_run(self, rid: str) -> str:
        if rid not in self.run_ids:
            self.run_ids[rid] = f"<run:{len(self.run_ids) + 1}>"
        return self.run_ids[rid]


@dataclass
class Step:
    index: int
    label: str
    method: str
    path: str
    masked: list[Any]  # per server
    responses: list[Response]
    equal: bool
    known: list[str] = field(default_factory=list)  # KNOWN_DIFFERENCES.md ids that made the step equal


KNOWN_DIFFERENCES_MD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "KNOWN_DIFFERENCES.md")


def _known_ids() -> set[str]:
    with open(KNOWN_DIFFERENCES_MD) as f:
        return set(re.findall(r"^### `([a-z0-9-]+)`", f.read(), re.M))


MAX_DOUBLE = 1.7976931348623157e308
# KNOWN_DIFFERENCES.md entries under which tracklite answers another status than the reference: the status it gives
OTHER_STATUS = {"garbage-in": 400, "page-tokens": 400, "dot-segments": 404, "s3-missing-artifact": 404,
                "registry-edges": 400, "bad-input": 400, "request-body-limit": 413,
                "genai-jobs-need-python": 501, "file-uri-remote-host": 400}


def _infinity_as_tokens(v: Any, key: str | None = None) -> Any:
    """`inf-clamp`: the reference clamps infinite metric values to +-max double; tracklite keeps
    infinities ("Infinity"). Both become one token in metric `value` fields."""
    if isinstance(v, dict):
        return {k: _infinity_as_tokens(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [_infinity_as_tokens(x, key) for x in v]
    if key == "value":
        if v in ("Infinity", MAX_DOUBLE) or (isinstance(v, float) and math.isinf(v) and v > 0):
            return "<+Inf>"
        if v in ("-Infinity", -MAX_DOUBLE) or (isinstance(v, float) and math.isinf(v) and v < 0):
            return "<-Inf>"
    return v


def _is_error_json(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get("error_code"), str) and isinstance(body.get("message"), str)


def _global_known(ref: dict, cand: dict) -> str | None:
    """The KNOWN_DIFFERENCES.md id that explains a differing step, or None."""
    if _canon(_infinity_as_tokens(ref)) == _canon(_infinity_as_tokens(cand)):
        return "inf-clamp"
    rb, cb = ref["body"], cand["body"]
    if (ref["status"] == 500 and isinstance(rb, dict)
            and rb.get("message") == "Trace data not stored in tracking store"
            and (cand["status"] == 200 or (cand["status"] == 404 and _is_error_json(cb)
                                           and cb["error_code"] == "RESOURCE_DOES_NOT_EXIST"))):
        # the reference cannot read spans a client logged to traces.json; tracklite serves them (and answers
        # 404 for a trace that has no spans anywhere yet)
        return "trace-spans-from-artifacts"
    if ref["status"] == 500 and cand["status"] == 400 and _is_error_json(rb) and _canon(rb) == _canon(cb):
        return "no-5xx-for-client-errors"
    if isinstance(rb, dict) and "__non_json__" in rb and _is_error_json(cb):
        if ref["status"] == cand["status"] and ref["status"] in (404, 405):
            return "html-error-pages"
        if ref["status"] == 500 and 400 <= cand["status"] < 500:
            return "no-5xx-for-client-errors"
    return None


class Differ:
    """Drives one scenario against servers A (reference) and B (candidate)."""

    def __init__(self, url_a: str, url_b: str, name_a: str = "reference", name_b: str = "candidate",
                 states: list[ServerState] | None = None):
        # ``states``: per-server id maps shared by all scenarios of one module
        # (they share the servers' databases, so ids of earlier scenarios show up)
        self.servers = states or [ServerState(name_a, url_a), ServerState(name_b, url_b)]
        self.steps: list[Step] = []
        self.sent_numbers: set = set()
        self.started_ms = int(time.time() * 1000)
        self.dump_dir = os.environ.get("COMPAT_DIFF_DUMP")

    # ------------------------------------------------------------------ requests
    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: Any = None,
        raw_body: str | bytes | None = None,
        save: dict[str, str] | None = None,
        body_mode: str = "json",
        label: str | None = None,
        unnamed_run: bool = False,
        ignore: tuple[str, ...] = (),
        expect_status: int | None = None,
        sorted_by_run_id: str | None = None,
        known: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> list[Response]:
        """Send one request to both servers and record the masked responses.

        ``path`` is relative to /api/2.0/mlflow/ unless it starts with '/'; it may hold ``${var}`` too.
        ``body``/``params``/``raw_body`` may contain ``${var}`` references to
        values saved earlier with ``save={"var": "dotted.path.in.response"}``
        (resolved per server). ``params`` may be a list of (key, value) tuples
        for repeated query keys. ``body_mode``: "json" (compare parsed JSON),
        "text" (compare text), "status" (compare the status code only).
        ``unnamed_run``: the response creates a run with a server-generated name,
        mask it. ``ignore``: dotted paths removed from both bodies before comparing.
        ``expect_status``: additionally assert the reference answered this status
        (keeps reference-vs-reference runs from passing on garbage).
        ``headers``: extra request headers (e.g. X-MLFLOW-WORKSPACE).
        ``sorted_by_run_id``: top-level key of a list the server orders by the
        (random) run id: each side must have it ordered by its raw run ids; the
        comparison then orders both by placeholder (stable, so the order within
        one run is still compared).
        """
        url_path = path if path.startswith("/") else API + path
        self.sent_numbers |= _numbers_of(body, params, raw_body)
        responses = []
        for srv in self.servers:
            b = _substitute(copy.deepcopy(body), srv.variables)
            p = _substitute(copy.deepcopy(params), srv.variables)
            # bytes are sent as given (bodies that are not UTF-8); text may hold ${var} references
            rb = raw_body if isinstance(raw_body, bytes) else (
                _substitute(raw_body, srv.variables) if raw_body is not None else None)
            kwargs: dict[str, Any] = {"timeout": 60}
            if p is not None:
                kwargs["params"] = p
            if rb is not None:
                kwargs["data"] = rb if isinstance(rb, bytes) else rb.encode()
                kwargs["headers"] = {"Content-Type": "application/json"}
            elif b is not None:
                kwargs["data"] = json.dumps(b, allow_nan=True).encode()
                kwargs["headers"] = {"Content-Type": "application/json"}
            if headers:  # may hold ${var} references too (e.g. an experiment id header)
                kwargs["headers"] = {**kwargs.get("headers", {}), **_substitute(dict(headers), srv.variables)}
            r = srv.session.request(method, srv.base_url + _substitute(url_path, srv.variables), **kwargs)
            ctype = r.headers.get("content-type", "")
            if body_mode == "json":
                try:
                    parsed = json.loads(r.text) if r.text else None
                except ValueError:
                    parsed = {"__non_json__": r.text[:300]}
            elif body_mode == "text":
                parsed = {"__text__": r.text}
            else:
                parsed = None
            resp = Response(r.status_code, parsed, r.text, ctype)
            responses.append(resp)
            if save and isinstance(parsed, dict):
                for var, p_ in save.items():
                    v = _get_path(parsed, p_)
                    if v is not MISSING:
                        srv.variables[var] = v
            if isinstance(parsed, dict):
                self._register_ids(srv, parsed, unnamed_run)
        masked = [self._mask(srv, resp, ignore) for srv, resp in zip(self.servers, responses)]
        if sorted_by_run_id:
            for srv, resp, m in zip(self.servers, responses, masked):
                raw_list = resp.body.get(sorted_by_run_id) if isinstance(resp.body, dict) else None
                if not isinstance(raw_list, list):
                    continue
                raw_ids = [x.get("run_id", "") for x in raw_list]
                if raw_ids != sorted(raw_ids):
                    m["order_violation"] = f"{sorted_by_run_id} not ordered by run_id"
                m["body"][sorted_by_run_id] = sorted(m["body"][sorted_by_run_id],
                                                     key=lambda x: _placeholder_num(x.get("run_id", "")))
        ref_body, cand_body = masked[0]["body"], masked[1]["body"]
        if (isinstance(ref_body, dict) and ref_body.get("message") == "<sql-error>"
                and isinstance(cand_body, dict) and "message" in cand_body):
            # the reference only dumped a SQL error: any candidate message is fine
            cand_body["message"] = "<sql-error>"
        equal = _canon(masked[0]) == _canon(masked[1])
        known_ids: list[str] = []
        if not equal:
            explained = _global_known(masked[0], masked[1])
            if explained is None and known is not None:
                same_status = masked[0]["status"] == masked[1]["status"]
                # where the entry says tracklite answers another status, that status (with a JSON error) is expected
                refused = (OTHER_STATUS.get(known) == masked[1]["status"]
                           and _is_error_json(masked[1]["body"]))
                if same_status or refused:
                    explained = known
            if explained is not None:
                assert explained in _known_ids(), f"{explained!r} is not an entry of KNOWN_DIFFERENCES.md"
                known_ids.append(explained)
                equal = True
        step = Step(len(self.steps) + 1, label or f"{method} {path}", method, url_path, masked, responses, equal,
                    known_ids)
        self.steps.append(step)
        if expect_status is not None:
            assert responses[0].status == expect_status, (
                f"step {step.index} {step.label}: {self.servers[0].name} answered "
                f"{responses[0].status}, scenario expects {expect_status}: {responses[0].raw[:2000]}"
            )
        return responses

    def get(self, path: str, params: Any = None, **kw) -> list[Response]:
        return self.call("GET", path, params=params, **kw)

    def post(self, path: str, body: Any = None, **kw) -> list[Response]:
        return self.call("POST", path, body, **kw)

    # ------------------------------------------------------------------ masking
    def _register_ids(self, srv: ServerState, body: dict, unnamed_run: bool) -> None:
        for hook in [body.get("webhook"), *(body.get("webhooks") or [])]:
            wid = hook.get("webhook_id") if isinstance(hook, dict) else None
            if isinstance(wid, str) and wid not in srv.webhook_ids:
                srv.webhook_ids[wid] = f"<webhook:{len(srv.webhook_ids) + 1}>"
        eid = body.get("experiment_id")
        if isinstance(eid, str) and eid not in srv.exp_ids and len(body) == 1:
            # experiments/create answers {"experiment_id": "..."}
            srv.exp_ids[eid] = f"<exp:{len(srv.exp_ids) + 1}>"
        run = body.get("run")
        if unnamed_run and isinstance(run, dict):
            name = (run.get("info") or {}).get("run_name")
            if isinstance(name, str) and name not in srv.run_names:
                srv.run_names[name] = f"<run-name:{len(srv.run_names) + 1}>"
        model = body.get("model")  # logged-models create: a generated model name is a run name
        if unnamed_run and isinstance(model, dict):
            name = (model.get("info") or {}).get("name")
            if isinstance(name, str) and name not in srv.run_names:
                srv.run_names[name] = f"<run-name:{len(srv.run_names) + 1}>"

    def _mask(self, srv: ServerState, resp: Response, ignore: tuple[str, ...]) -> Any:
        body = copy.deepcopy(resp.body)
        for p in ignore:
            _delete_path(body, p)
        return {"status": resp.status, "body": self._mask_value(srv, body, None)}

    def _mask_value(self, srv: ServerState, v: Any, key: str | None) -> Any:
        if key == "serialized_value" and isinstance(v, dict) and isinstance(v.get("value"), str):
            # an expectation's JSON text: the reference's key order is random (it goes through a protobuf
            # Struct), so the JSON is compared by content
            try:
                v = {**v, "value": json.dumps(json.loads(v["value"]), sort_keys=True)}
            except ValueError:
                pass
        if isinstance(v, dict) and "request_id" in v and "execution_time_ms" in v:
            # an MLflow 2 TraceInfo: its tags / request_metadata lists come in the reference's storage order
            # (no ORDER BY); every client reads them into a dict
            v = {k: (sorted(x, key=lambda kv: str(kv.get("key")) if isinstance(kv, dict) else "")
                     if k in ("tags", "request_metadata") and isinstance(x, list) else x) for k, x in v.items()}
        if isinstance(v, dict):
            # walk in sorted key order: placeholders must not depend on key order
            return {k: self._mask_value(srv, v[k], k) for k in sorted(v)}
        if isinstance(v, list):
            if key == "experiment_ids":
                return [srv.exp_ids.get(x, x) if isinstance(x, str) else x for x in v]
            return [self._mask_value(srv, x, key) for x in v]
        if key in ROUNDED_KEYS and isinstance(v, float) and math.isfinite(v):
            return float(f"{v:.12g}")
        if key in ISO_TIME_KEYS and isinstance(v, str) and (ms := _iso_ms(v)) is not None:
            masked = self._mask_time(ms)
            return v if masked == ms else ("<iso-time>" if masked == "<time>" else f"<bad-time:{v!r}>")
        if key in TIME_KEYS and not isinstance(v, bool) and v is not None:
            return self._mask_time(v)
        if key == "next_page_token" and isinstance(v, str):
            return "<page-token>" if v else ""  # opaque: only its presence is compared
        if isinstance(v, str):
            if key == "experiment_id":
                return srv.exp_ids.get(v, v)
            if key == "url" and "X-Amz-Signature=" in v:
                # a presigned S3 URL: the signature, its parameters' order and each server's own prefix in the
                # shared test bucket differ by nature; the endpoint, bucket and key below the prefix must not
                v = re.sub(r"/compat-(?:reference|tracklite)-[^/]+/", "/<server-prefix>/", v.split("?")[0])
                v += "?<presigned>"
            if key == "message":
                # before ids are numbered: a leaked SQL dump may carry ids (e.g. the run id a failed insert made)
                v = _strip_sql_noise(v)
            for wid, ph in srv.webhook_ids.items():
                v = v.replace(wid, ph)
            s = RUN_ID_RE.sub(lambda m: srv.placeholder_run(m.group(0)), v)
            s = re.sub(r"mlflow-artifacts:/([^/]+)",
                       lambda m: "mlflow-artifacts:/" + srv.exp_ids.get(m.group(1), m.group(1)), s)
            if key == "message":
                s = _strip_sql_noise(s)
                s = SET_REPR_RE.sub(_sort_set_repr, s)
                for eid, ph in srv.exp_ids.items():
                    s = re.sub(r"(?<=(?:id=|ID |id |d '|d \"|D '|nt ))" + re.escape(eid) + r"(?![0-9])", ph, s)
            if key in ("run_name", "value", "name") and s in srv.run_names:
                s = srv.run_names[s]
            return s
        return v

    def _mask_time(self, v: Any) -> Any:
        num = None
        if isinstance(v, (int, float)):
            num = v
        elif isinstance(v, str) and re.fullmatch(r"-?\d+", v):
            num = int(v)
        if num is not None and num in self.sent_numbers:
            return v  # echoed from the request: compare it
        if num is not None and self.started_ms - 86_400_000 <= num <= int(time.time() * 1000) + 86_400_000:
            return "<time>" if isinstance(v, (int, float)) else "<time-as-string>"
        return f"<bad-time:{v!r}>"

    # ------------------------------------------------------------------ verdict
    def report(self) -> str:
        lines = []
        a, b = self.servers
        for st in self.steps:
            if st.equal:
                continue
            left = _pretty(st.masked[0]).splitlines()
            right = _pretty(st.masked[1]).splitlines()
            diff = difflib.unified_diff(left, right, f"{a.name}", f"{b.name}", lineterm="", n=3)
            lines.append(f"--- step {st.index}: {st.label} ({st.method} {st.path})")
            lines.extend(diff)
        return "\n".join(lines)

    def assert_equal(self) -> None:
        self._dump()
        for st in self.steps:
            if st.known:
                print(f"step {st.index} {st.label}: equal but for known difference {', '.join(st.known)}")
        bad = [s for s in self.steps if not s.equal]
        assert self.steps, "scenario sent no request"
        if bad:
            raise AssertionError(
                f"{len(bad)} of {len(self.steps)} steps differ "
                f"({self.servers[0].name} vs {self.servers[1].name}):\n{self.report()}"
            )

    def _dump(self) -> None:
        if not self.dump_dir:
            return
        os.makedirs(self.dump_dir, exist_ok=True)
        name = os.environ.get("PYTEST_CURRENT_TEST", "scenario").split(" ")[0]
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        with open(os.path.join(self.dump_dir, name + ".txt"), "w") as f:
            for st in self.steps:
                known = f" known={','.join(st.known)}" if st.known else ""
                f.write(f"=== step {st.index}: {st.label} ({st.method} {st.path}) equal={st.equal}{known}\n")
                for srv, m in zip(self.servers, st.masked):
                    f.write(f"--- {srv.name}\n{_pretty(m)}\n")


def _placeholder_num(ph: str) -> int:
    m = re.fullmatch(r"<run:(\d+)>", ph)
    return int(m.group(1)) if m else 0


def _numbers_of(*objs: Any) -> set:
    out: set = set()
    for o in objs:
        if isinstance(o, str):
            try:
                o = json.loads(o)
            except (ValueError, RecursionError):  # not JSON, or nested too deep for Python's reader
                continue
        _collect_numbers(o, out)
    return out


def _delete_path(obj: Any, path: str) -> None:
    """Remove a dotted path; list levels are traversed implicitly."""
    if isinstance(obj, list):
        for item in obj:
            _delete_path(item, path)
        return
    if not isinstance(obj, dict):
        return
    head, _, rest = path.partition(".")
    if not rest:
        obj.pop(head, None)
    elif head in obj:
        _delete_path(obj[head], rest)


def _canon(v: Any) -> Any:
    """Canonical form: numbers by value, NaN/inf as tokens."""
    if isinstance(v, dict):
        return {k: _canon(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_canon(x) for x in v]
    if isinstance(v, float):
        if math.isnan(v):
            return "<NaN>"
        if math.isinf(v):
            return "<+Inf>" if v > 0 else "<-Inf>"
        if v.is_integer() and abs(v) < 2**63:
            return int(v)
    return v


def _pretty(v: Any) -> str:
    return json.dumps(_canon(v), indent=2, sort_keys=True, default=str)
