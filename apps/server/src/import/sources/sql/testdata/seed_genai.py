"""Seeds traces (spans, assessments, a run link), GenAI datasets and a scorer through the real 3.17.2 client, for the
database source's tests (MLFLOW_TRACKING_URI from the environment). Prints the seeded experiment's id last."""

import os

os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")

import mlflow  # noqa: E402
import mlflow.genai.datasets as gd  # noqa: E402
import requests  # noqa: E402

uri = os.environ["MLFLOW_TRACKING_URI"]
exp = mlflow.create_experiment("sql-genai", tags={"team": "genai"})
other = mlflow.create_experiment("sql-genai-other")
mlflow.set_experiment(experiment_id=exp)


@mlflow.trace(name="answer", attributes={"kind": "qa"})
def answer(question: str) -> str:
    with mlflow.start_span(name="retrieve", span_type="RETRIEVER") as span:
        span.set_inputs({"q": question})
        span.set_outputs([{"doc": "d1"}])
        span.add_event(mlflow.entities.SpanEvent(name="hit", attributes={"n": 1}))
    return f"answer to {question}"


with mlflow.start_run(run_name="traced"):
    answer("what?")
linked = mlflow.get_last_active_trace_id()
mlflow.log_feedback(trace_id=linked, name="quality", value=0.5, rationale="ok")
mlflow.log_expectation(trace_id=linked, name="expected", value={"text": "yo"}, metadata={"by": "me"})

for i in range(3):
    with mlflow.start_span(name=f"root-{i}") as span:
        span.set_inputs({"i": i})
        span.set_attribute("big", 1_700_000_000_123_456_789)  # beyond 2^53: must keep every digit
        span.set_attribute("ratio", 1.0)  # a float that is integral: a double, not an int
        with mlflow.start_span(name="child") as child:
            child.set_outputs({"a": i})
mlflow.set_trace_tag(mlflow.get_last_active_trace_id(), "reviewed", "yes")


@mlflow.trace
def chat(q):
    # the session and the token usage are kept in trace_info columns, and rebuilt from them into the metadata
    mlflow.update_current_trace(metadata={"mlflow.trace.session": "s-1"})
    with mlflow.start_span(name="llm", span_type="CHAT_MODEL") as s:
        s.set_attribute("mlflow.chat.tokenUsage", {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7})
    return "x"


chat("hi")
chatted = mlflow.get_last_active_trace_id()
mlflow.log_feedback(trace_id=chatted, name="judge", error=mlflow.entities.AssessmentError(error_code="E", error_message="bad"))
mlflow.log_expectation(trace_id=chatted, name="count", value=3)

mlflow.set_experiment(experiment_id=other)
try:
    with mlflow.start_span(name="fails"):
        raise ValueError("boom")
except ValueError:
    pass

dataset = gd.create_dataset(name="sql-genai-ds", experiment_id=[exp, other], tags={"k": "v"})
dataset.merge_records([
    {"inputs": {"n": i}, "expectations": {"double": i * 2}, "tags": {"t": str(i)}} for i in range(25)
])
gd.create_dataset(name="sql-genai-empty", experiment_id=exp)

builtin = ('{"name":"safety","builtin_scorer_class":"Safety","builtin_scorer_pydantic_data":{"name":"safety",'
           '"required_columns":["inputs","outputs"]},"mlflow_version":"3.17.2","serialization_version":1,'
           '"aggregations":null,"call_source":null,"call_signature":null,"original_func_name":null,'
           '"instructions_judge_pydantic_data":null}')
for _ in range(2):
    r = requests.post(f"{uri}/api/3.0/mlflow/scorers/register",
                      json={"experiment_id": exp, "name": "safety", "serialized_scorer": builtin})
    r.raise_for_status()

print(exp)
