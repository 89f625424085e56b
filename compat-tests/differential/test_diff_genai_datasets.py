"""Differential: GenAI evaluation datasets over raw REST (`/api/3.0/mlflow/datasets/*`): creation and its refusals,
tags, experiment links, record upserts (deduplication by inputs, merged expectations and tags, replaced outputs,
sources, the dataset's schema / profile / digest / updater that follow), record pages and deletes, the search filter
and order grammar with its paging and errors; and the UI's older `experiments/search-datasets`."""

import json
import re

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("evaluation datasets are MLflow 3 RPCs", allow_module_level=True)

DS = "/api/3.0/mlflow/datasets"
# Server-made values: the digest hashes the (server's) update time, created_time is not a masked time key.
DATASET_NOISE = ("dataset.digest", "dataset.created_time")
ID_RE = re.compile(r"\b(dr?)-[0-9a-f]{32}\b")


def _normalized_records(text: str) -> list:
    """A records page as comparable data: ids numbered by appearance, server times dropped, sorted by inputs (records
    made in one call share their creation time and are ordered by their random ids)."""
    ids: dict[str, str] = {}
    out = []
    for r in json.loads(text):
        r = json.loads(ID_RE.sub(lambda m: ids.setdefault(m.group(0), f"<{m.group(1)}:{len(ids) + 1}>"),
                                 json.dumps(r)))
        assert isinstance(r.pop("created_time"), int) and isinstance(r.pop("last_update_time"), int)
        r.pop("dataset_record_id")
        r.pop("dataset_id")
        out.append(r)
    return sorted(out, key=lambda r: json.dumps(r["inputs"], sort_keys=True))


def records_page(d, path: str, params=None) -> list:
    """GET a records page on both servers; the pages must hold the same records (as data)."""
    rs = d.call("GET", path, params=params, ignore=("records",), expect_status=200)
    pages = [_normalized_records(r.body["records"]) for r in rs]
    assert pages[0] == pages[1], f"records differ:\nreference {pages[0]}\ncandidate {pages[1]}"
    return [json.loads(r.body["records"]) for r in rs]


def save_record_ids(d, pages: list, var: str, question: str) -> None:
    """Stores each server's id of the record whose inputs ask `question` in `${var}`."""
    for srv, page in zip(d.servers, pages):
        srv.variables[var] = next(r["dataset_record_id"] for r in page if r["inputs"].get("q") == question)


def upsert(d, records: list, ds: str = "${ds}", **kw):
    return d.call("POST", f"{DS}/{ds}/records", {"records": json.dumps(records)}, **kw)


def test_create_get_tags_and_errors(differ):
    d = differ
    d.post("experiments/create", {"name": "genai-ds-a"}, save={"exp": "experiment_id"}, expect_status=200)
    d.call("POST", f"{DS}/create", {"name": "ds-a", "experiment_ids": ["${exp}"],
                                    "tags": json.dumps({"team": "ml", "mlflow.user": "bob", "n": 5})},
           save={"ds": "dataset.dataset_id"}, ignore=DATASET_NOISE, expect_status=200)
    d.call("POST", f"{DS}/create", {"name": "ds-b"}, ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"{DS}/${{ds}}", ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"/ajax-api/3.0/mlflow/datasets/${{ds}}", ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"{DS}/d-00000000000000000000000000000000", expect_status=404)
    d.call("DELETE", f"{DS}/d-00000000000000000000000000000000", expect_status=200)
    # refusals of the handler's checks
    d.call("POST", f"{DS}/create", {}, expect_status=400)
    d.call("POST", f"{DS}/create", {"name": ""}, expect_status=400)
    d.call("POST", f"{DS}/create", {"name": 5}, expect_status=400)
    d.call("POST", f"{DS}/create", {"name": "x", "tags": {"a": 1}}, expect_status=400)
    d.call("POST", f"{DS}/create", {"name": "x", "experiment_ids": "1"}, expect_status=400)
    d.call("POST", f"{DS}/create", {"name": "x", "tags": "[1, 2]"}, expect_status=500)
    d.call("POST", f"{DS}/create", raw_body="not json", expect_status=400)

    # tags: merged, None skipped, values as str(); deleting is idempotent; times and digest stay
    d.call("PATCH", f"{DS}/${{ds}}/tags", {"tags": json.dumps({"team": "ai", "z": None, "b": True, "f": 1.5})},
           expect_status=200)
    d.call("GET", f"{DS}/${{ds}}", ignore=DATASET_NOISE, expect_status=200)
    d.call("DELETE", f"{DS}/${{ds}}/tags/b", expect_status=200)
    d.call("DELETE", f"{DS}/${{ds}}/tags/never", expect_status=200)
    d.call("DELETE", f"{DS}/d-00000000000000000000000000000000/tags/b", expect_status=200)
    d.call("GET", f"{DS}/${{ds}}", ignore=DATASET_NOISE, expect_status=200)
    d.call("PATCH", f"{DS}/${{ds}}/tags", {}, expect_status=400)
    d.call("PATCH", f"{DS}/d-00000000000000000000000000000000/tags", {"tags": "{}"}, expect_status=404)
    d.call("PATCH", f"{DS}/${{ds}}/tags", {"tags": "[1]"}, expect_status=500)
    d.call("PUT", f"{DS}/${{ds}}/tags", {"tags": "{}"}, expect_status=405)
    d.assert_equal()


def test_experiment_links(differ):
    d = differ
    d.post("experiments/create", {"name": "genai-ds-links-1"}, save={"e1": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "genai-ds-links-2"}, save={"e2": "experiment_id"}, expect_status=200)
    d.call("POST", f"{DS}/create", {"name": "linked", "experiment_ids": ["${e1}"]},
           save={"lds": "dataset.dataset_id"}, ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"{DS}/${{lds}}/experiment-ids", expect_status=200)
    d.call("POST", f"{DS}/${{lds}}/add-experiments", {"experiment_ids": ["${e2}", "${e1}"]},
           ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"{DS}/${{lds}}/experiment-ids", expect_status=200)
    d.call("POST", f"{DS}/${{lds}}/add-experiments", {"experiment_ids": ["987654"]}, expect_status=404)
    d.call("POST", f"{DS}/${{lds}}/add-experiments", {}, ignore=DATASET_NOISE, expect_status=200)
    d.call("POST", f"{DS}/${{lds}}/add-experiments", {"experiment_ids": "1"}, expect_status=400)
    d.call("POST", f"{DS}/d-00000000000000000000000000000000/add-experiments", {"experiment_ids": ["${e1}"]},
           expect_status=404)
    d.call("POST", f"{DS}/${{lds}}/remove-experiments", {"experiment_ids": ["${e1}", "55"]},
           ignore=DATASET_NOISE, expect_status=200)
    d.call("GET", f"{DS}/${{lds}}/experiment-ids", expect_status=200)
    d.call("POST", f"{DS}/d-00000000000000000000000000000000/remove-experiments", {"experiment_ids": ["1"]},
           expect_status=404)
    d.call("GET", f"{DS}/d-00000000000000000000000000000000/experiment-ids", expect_status=200)
    d.call("POST", f"{DS}/search", {"experiment_ids": ["${e2}"]}, ignore=("datasets.digest", "datasets.created_time"),
           expect_status=200)
    d.call("POST", f"{DS}/search", {"experiment_ids": ["${e1}"]}, expect_status=200)
    d.assert_equal()


def test_record_upserts_merge(differ):
    d = differ
    d.call("POST", f"{DS}/create", {"name": "records", "tags": json.dumps({"mlflow.user": "bob"})},
           save={"rds": "dataset.dataset_id"}, ignore=DATASET_NOISE, expect_status=200)
    upsert(d, [
        {"inputs": {"q": "a", "n": 1}, "expectations": {"x": 1}, "tags": {"t": "1"}},
        {"inputs": {"q": "b"}, "outputs": "out", "source": {"source_type": "HUMAN", "source_data": {"source_id": "u1"}}},
        {"inputs": {"q": "e", "nested": {"k": [1, 2.5, None, True]}}, "outputs": "o-e", "expectations": {}},
    ], ds="${rds}", expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", ignore=DATASET_NOISE, expect_status=200)
    # the same inputs (another key order) merge: expectations and tags updated, outputs replaced, the updater set
    upsert(d, [
        {"inputs": {"n": 1, "q": "a"}, "expectations": {"y": 2.0}, "tags": {"mlflow.user": "al"}, "outputs": "o2"},
        {"inputs": {"q": "c"}, "outputs": None, "source": {"source_type": "trace", "source_data": {"trace_id": "tr-1"}}},
        {"inputs": {"q": "d"}, "source": {"source_type": "DOCUMENT", "source_data": {"doc_uri": "s3://x"}}},
        {"inputs": {"q": "d"}, "expectations": {"twice": "in one call"}},
        {"expectations": {"no": "inputs"}},
    ], ds="${rds}", expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", ignore=DATASET_NOISE, expect_status=200)
    pages = records_page(d, f"{DS}/${{rds}}/records")
    # no updater in the call: the dataset's updater is cleared; an empty call still touches the dataset
    upsert(d, [{"inputs": {"q": "b"}, "outputs": None}], ds="${rds}", expect_status=200)
    upsert(d, [], ds="${rds}", expect_status=200)
    upsert(d, {}, ds="${rds}", expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", ignore=DATASET_NOISE, expect_status=200)
    records_page(d, f"{DS}/${{rds}}/records")

    # refusals
    d.call("POST", f"{DS}/${{rds}}/records", {}, expect_status=400)
    d.call("POST", f"{DS}/${{rds}}/records", {"records": [{"inputs": {}}]}, expect_status=400)
    upsert(d, [{"inputs": {"q": "z"}, "source": {"source_type": "bogus"}}], ds="${rds}", expect_status=400)
    upsert(d, [{"inputs": {"q": "z"}, "source": {"foo": 1}}], ds="${rds}", expect_status=500)
    upsert(d, [{"inputs": {"q": "z"}, "source": "abc"}], ds="${rds}", expect_status=500)
    upsert(d, [{"inputs": {"q": "a"}}], ds="d-00000000000000000000000000000000", expect_status=400)
    upsert(d, [], ds="d-00000000000000000000000000000000", expect_status=200)

    # deletes count the profile down (to the text "null" once empty); unknown ids delete nothing
    save_record_ids(d, pages, "rid", "a")
    d.call("DELETE", f"{DS}/${{rds}}/records", {"dataset_record_ids": ["${rid}", "dr-nope"]}, expect_status=200)
    d.call("DELETE", f"{DS}/${{rds}}/records", {"dataset_record_ids": ["${rid}"]}, expect_status=200)
    d.call("DELETE", f"{DS}/${{rds}}/records", {}, expect_status=200)
    d.call("DELETE", f"{DS}/d-00000000000000000000000000000000/records", {"dataset_record_ids": ["x"]},
           expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", ignore=DATASET_NOISE, expect_status=200)
    remaining = records_page(d, f"{DS}/${{rds}}/records")
    for srv, page in zip(d.servers, remaining):
        srv.variables["all"] = [r["dataset_record_id"] for r in page]
    d.call("DELETE", f"{DS}/${{rds}}/records", {"dataset_record_ids": "${all}"}, expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", ignore=DATASET_NOISE, expect_status=200)
    records_page(d, f"{DS}/${{rds}}/records")

    # deleting the dataset takes its records and tags
    d.call("DELETE", f"{DS}/${{rds}}", expect_status=200)
    d.call("GET", f"{DS}/${{rds}}", expect_status=404)
    records_page(d, f"{DS}/${{rds}}/records")
    d.assert_equal()


def test_record_pages(differ):
    d = differ
    d.call("POST", f"{DS}/create", {"name": "pages"}, save={"pds": "dataset.dataset_id"}, ignore=DATASET_NOISE,
           expect_status=200)
    for i in range(3):
        upsert(d, [{"inputs": {"q": f"r{i}"}}], ds="${pds}", expect_status=200)
    first = d.call("GET", f"{DS}/${{pds}}/records", params={"max_results": 2}, ignore=("records",),
                   save={"tok": "next_page_token"}, expect_status=200)
    assert [len(json.loads(r.body["records"])) for r in first] == [2, 2]
    rest = d.call("GET", f"{DS}/${{pds}}/records", params={"max_results": 2, "page_token": "${tok}"},
                  ignore=("records",), expect_status=200)
    assert [json.loads(r.body["records"])[0]["inputs"] for r in rest] == [{"q": "r2"}, {"q": "r2"}]
    # a bare number is an offset; 0 is the default page
    records_page(d, f"{DS}/${{pds}}/records", params={"max_results": 1, "page_token": "1"})
    records_page(d, f"{DS}/${{pds}}/records", params={"max_results": 0})
    d.call("GET", f"{DS}/${{pds}}/records", params={"page_token": "abc"}, expect_status=500)
    d.call("GET", f"{DS}/${{pds}}/records", params={"max_results": "abc"}, expect_status=500)
    d.assert_equal()


def test_search_grammar_order_and_paging(differ):
    d = differ
    d.post("experiments/create", {"name": "genai-ds-search"}, save={"se": "experiment_id"}, expect_status=200)
    for i, (name, user) in enumerate([("s-alpha", "ann"), ("s-beta", "bob"), ("s-gamma", "ann")]):
        d.call("POST", f"{DS}/create", {"name": name, "experiment_ids": ["${se}"],
                                        "tags": json.dumps({"i": str(i), "mlflow.user": user})},
               save={f"s{i}": "dataset.dataset_id"}, ignore=DATASET_NOISE, expect_status=200)
    noise = ("datasets.digest", "datasets.created_time")
    search = lambda body, **kw: d.call("POST", f"{DS}/search", {"experiment_ids": ["${se}"], **body},  # noqa: E731
                                       ignore=noise, **kw)
    search({}, expect_status=200)
    search({"order_by": ["name ASC"]}, expect_status=200)
    search({"order_by": ["name DESC"], "max_results": 2}, save={"tok": "next_page_token"}, expect_status=200)
    search({"order_by": ["name DESC"], "max_results": 2, "page_token": "${tok}"}, expect_status=200)
    search({"order_by": ["last_update_time ASC", "name"]}, expect_status=200)
    for f in ["name = 's-beta'", "name LIKE 's-%a'", "name ILIKE 'S-G%'", "name != 's-beta'",
              "name IN ('s-alpha', 's-gamma')", "name > 's-b'", "created_by = 'ann'", "last_updated_by = 'bob'",
              "tags.i = '1'", "tags.i != '1'", "tags.`mlflow.user` LIKE 'a%'", "tags.i ILIKE '2'",
              "created_time > 0 AND name = 's-alpha'", "last_update_time >= 0", "name = \"s-beta\""]:
        search({"filter_string": f}, expect_status=200)
    d.call("GET", f"{DS}/search", params=[("experiment_ids", "${se}"), ("filter_string", "name = 's-beta'")],
           ignore=("datasets.digest", "datasets.created_time"), expect_status=200)
    for f in ["foo = 1", "x.y = 'a'", "created_time > 5.5", "created_time = 'a'", "name = 5",
              "name = ('a')", "created_by IN ('a')", "tags.i > '1'", "tags.i IS NULL", "name IS NULL",
              "name = 'a' OR name = 'b'", "created_time LIKE 5", "name NOT IN ('a')"]:
        search({"filter_string": f}, expect_status=400)
    for o in [["foo"], ["tags.i"], ["name sideways"], ["created_by"]]:
        search({"order_by": o}, expect_status=400)
    for m in [0, -1, 50001, "abc"]:
        search({"max_results": m}, expect_status=400)
    search({"page_token": "xx"}, expect_status=400)
    search({"page_token": "eyJvZmZzZXQiOiAxfQ=="}, expect_status=200)
    d.assert_equal()


def test_run_dataset_summaries(differ):
    d = differ
    d.post("experiments/create", {"name": "genai-ds-runs"}, save={"re": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${re}"}, save={"run": "run.info.run_id"}, unnamed_run=True,
           expect_status=200)
    d.post("runs/log-inputs", {"run_id": "${run}", "datasets": [
        {"tags": [{"key": "mlflow.data.context", "value": "training"}],
         "dataset": {"name": "dsA", "digest": "abc", "source_type": "local", "source": "{}"}},
        {"dataset": {"name": "dsB", "digest": "def", "source_type": "local", "source": "{}"}},
    ]}, expect_status=200)
    path = "/ajax-api/2.0/mlflow/experiments/search-datasets"
    d.call("POST", path, {"experiment_ids": ["${re}"]}, expect_status=200)
    d.call("POST", path, {"experiment_ids": ["0"]}, expect_status=200)
    d.call("POST", path, {}, expect_status=400)
    d.call("POST", path, {"experiment_ids": [str(i) for i in range(21)]}, expect_status=400)
    d.call("POST", path, {"experiment_ids": ["abc"]}, expect_status=400)
    d.call("POST", path, {"experiment_ids": "1"}, expect_status=400)
    d.call("GET", path, params={"experiment_ids": "1"}, expect_status=405)
    d.call("POST", "/api/2.0/mlflow/experiments/search-datasets", {"experiment_ids": ["${re}"]}, expect_status=404)
    d.assert_equal()
