"""Differential: client mistakes that crash the reference or reach a database limit (lists, tokens, text, depth)."""

import base64


def _exp_run(d, name):
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "b1", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)


def test_long_lists(differ):
    d = differ
    _exp_run(d, "diff-long-lists")
    # more ids than SQLite's 32,766 parameters: the reference serves it
    ids = ["${eid}"] + [str(i) for i in range(100_000, 140_000)]
    d.post("runs/search", {"experiment_ids": ids, "max_results": 10}, expect_status=200)
    d.assert_equal()


def test_page_tokens_out_of_range(differ):
    d = differ
    _exp_run(d, "diff-huge-token")
    token = base64.b64encode(b'{"offset":1e30}').decode()
    d.get("registered-models/search", {"page_token": token}, known="bad-input")
    d.get("model-versions/search", {"page_token": token}, known="bad-input")
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "m", "page_token": token}, known="bad-input")
    d.post("experiments/search", {"page_token": token}, known="page-tokens")
    d.assert_equal()


def test_text_that_is_not_unicode(differ):
    d = differ
    _exp_run(d, "diff-not-unicode")
    # bytes that are not UTF-8: both read the body as empty and ask for the required field
    d.post("experiments/create", raw_body=b'{"name": "a\xff\xfeb"}', expect_status=400)
    d.post("runs/set-tag", raw_body=b'{"run_id": "x", "key": "k", "value": "\xc3"}', expect_status=400)
    # a lone surrogate escape: the reference stores an empty value, tracklite refuses it
    d.post("runs/set-tag", raw_body='{"run_id": "${rid}", "key": "k", "value": "a\\ud800b"}', known="bad-input")
    # a surrogate pair is one character on both
    d.post("runs/set-tag", raw_body='{"run_id": "${rid}", "key": "k2", "value": "a\\ud83d\\ude00b"}', expect_status=200)
    d.get("runs/get", {"run_id": "${rid}"}, ignore=("run.data.tags",))
    d.assert_equal()


def test_deep_json_and_model_json(differ):
    d = differ
    _exp_run(d, "diff-deep")
    deep = "[" * 10_000 + "]" * 10_000
    d.post("runs/set-tag", raw_body='{"run_id": "${rid}", "key": "k", "value": %s}' % deep)
    d.post("experiments/create", raw_body='{"name": %s}' % deep)
    d.post("runs/log-batch", raw_body='{"run_id": "${rid}", "metrics": %s}' % deep)
    # a few hundred levels are read by both
    d.post("runs/set-tag", raw_body='{"run_id": "${rid}", "key": "k", "value": "v", "x": %s}'
           % ("[" * 300 + "]" * 300), expect_status=200)
    for model_json in ("1", "null", '"x"', "{}"):
        d.post("runs/log-model", {"run_id": "${rid}", "model_json": model_json})
    d.assert_equal()


def test_request_body_limit(differ):
    d = differ
    _exp_run(d, "diff-big-body")
    # 40 MB of an unknown field: the reference reads and ignores it, tracklite refuses the body with 413
    big = '{"run_id": "${rid}", "key": "k", "value": "v", "x": "%s"}' % ("x" * 40_000_000)
    d.post("runs/set-tag", raw_body=big, expect_status=200, known="request-body-limit")
    d.assert_equal()
