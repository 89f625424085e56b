"""`mlflow.openai.autolog()` with the real `openai` package: the chat completion goes to a local stand-in
provider (support/fake_llm.py), the trace goes to the server under test."""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("MLflow 3's tracing (the 2.x client's is in test_client_traces_v2.py)", allow_module_level=True)

# the MLflow 3 imports come after the version check
import json

import mlflow
from mlflow.entities import SpanType, TraceState

from support.clientutil import uniq
from support.fake_llm import REPLY, USAGE, FakeOpenAI
from support.tracing import TOKEN_USAGE, fresh_tracer, get_trace, no_export_failures

# autouse fixtures: the tracer provider reset per module, exporter failures fail the test
__all__ = ["fresh_tracer", "no_export_failures"]

openai = pytest.importorskip("openai")


@pytest.fixture(scope="module")
def fake_llm():
    llm = FakeOpenAI()
    try:
        yield llm
    finally:
        llm.stop()


@pytest.fixture
def autolog():
    mlflow.openai.autolog()
    try:
        yield
    finally:
        mlflow.openai.autolog(disable=True)


MESSAGES = [{"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "What is the capital of France?"}]


def test_openai_autolog_chat_completion_trace(client, fake_llm, autolog):
    eid = mlflow.set_experiment(uniq("openai-autolog")).experiment_id
    llm = openai.OpenAI(base_url=fake_llm.base_url, api_key="test-key-not-used")
    resp = llm.chat.completions.create(model="gpt-compat", messages=MESSAGES, temperature=0)
    assert resp.choices[0].message.content == REPLY
    assert fake_llm.requests[-1][0] == "/v1/chat/completions"

    tid = mlflow.get_last_active_trace_id()
    assert tid
    trace = get_trace(client, tid, spans=1)
    info = trace.info
    assert info.experiment_id == eid
    assert info.state == TraceState.OK
    usage = json.loads(info.trace_metadata[TOKEN_USAGE])
    assert usage["input_tokens"] == USAGE["prompt_tokens"]
    assert usage["output_tokens"] == USAGE["completion_tokens"]
    assert usage["total_tokens"] == USAGE["total_tokens"]

    [span] = trace.data.spans
    assert span.span_type in (SpanType.CHAT_MODEL, SpanType.LLM)
    assert span.inputs["messages"] == MESSAGES
    assert span.inputs["model"] == "gpt-compat"
    message = span.outputs["choices"][0]["message"]
    assert (message["role"], message["content"]) == ("assistant", REPLY)
    assert span.outputs["usage"]["total_tokens"] == USAGE["total_tokens"]
    assert span.get_attribute("mlflow.chat.tokenUsage")["total_tokens"] == USAGE["total_tokens"]
    # the trace list shows the request and response previews
    assert "capital of France" in info.request_preview
    assert REPLY in info.response_preview
    # searchable by span type like any trace
    found = client.search_traces(experiment_ids=[eid], filter_string=f"span.type = '{span.span_type}'")
    assert [t.info.trace_id for t in found] == [tid]


def test_openai_autolog_inside_a_traced_function(client, fake_llm, autolog):
    mlflow.set_experiment(uniq("openai-nested"))
    llm = openai.OpenAI(base_url=fake_llm.base_url, api_key="test-key-not-used")

    @mlflow.trace(span_type=SpanType.AGENT)
    def agent(question):
        r = llm.chat.completions.create(model="gpt-compat", messages=[{"role": "user", "content": question}])
        return r.choices[0].message.content

    assert agent("capital?") == REPLY
    trace = get_trace(client, mlflow.get_last_active_trace_id(), spans=2)
    spans = {s.span_type: s for s in trace.data.spans}
    root = spans[SpanType.AGENT]
    [chat] = [s for s in trace.data.spans if s is not root]
    assert chat.parent_id == root.span_id
    assert root.outputs == REPLY
    usage = json.loads(trace.info.trace_metadata[TOKEN_USAGE])
    assert usage["total_tokens"] == USAGE["total_tokens"]
