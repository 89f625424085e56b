"""Traces for the UI e2e tests, logged with the real MLflow 3 client into the server at MLFLOW_TRACKING_URI.

Usage: python traces.py EXPERIMENT_NAME [--one QUESTION]
Without --one: in a run `traced-run`, an agent trace (`answer`: a retriever span and a chat model span with OpenAI
messages and token usage, tags env/team); outside the run, a trace whose function raises (`broken`) and a second
`answer`; feedback and an expectation on the first. With --one: a single `answer` trace (for the live arrival).
Prints one JSON object with the ids as the last line of stdout.
"""

import json
import sys

import mlflow
from mlflow.entities import AssessmentSource

mlflow.set_experiment(sys.argv[1])


@mlflow.trace(span_type="RETRIEVER")
def retrieve(q):
    return [{"page_content": "Paris is the capital of France.", "metadata": {"doc_uri": "wiki/paris"}}]


@mlflow.trace(span_type="CHAT_MODEL")
def llm(messages):
    span = mlflow.get_current_active_span()
    span.set_attribute("mlflow.chat.tokenUsage", {"input_tokens": 12, "output_tokens": 7, "total_tokens": 19})
    return {"choices": [{"message": {"role": "assistant", "content": "Paris."}}]}


@mlflow.trace(span_type="AGENT", name="answer")
def answer(question):
    mlflow.update_current_trace(tags={"env": "e2e", "team": "qa"})
    retrieve(question)
    messages = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": question}]
    return llm(messages=messages)["choices"][0]["message"]["content"]


@mlflow.trace
def broken(x):
    raise ValueError(f"cannot handle {x}")


def flush():
    if hasattr(mlflow, "flush_trace_async_logging"):
        mlflow.flush_trace_async_logging()


if len(sys.argv) > 3 and sys.argv[2] == "--one":
    answer(sys.argv[3])
    flush()
    print(json.dumps({"trace": mlflow.get_last_active_trace_id()}))
    sys.exit(0)

with mlflow.start_run(run_name="traced-run") as run:
    answer("What is the capital of France?")
    in_run = mlflow.get_last_active_trace_id()
try:
    broken(3)
except ValueError:
    pass
failed = mlflow.get_last_active_trace_id()
answer("Second question?")
second = mlflow.get_last_active_trace_id()
flush()
mlflow.log_feedback(
    trace_id=in_run,
    name="correct",
    value=True,
    rationale="matches",
    source=AssessmentSource(source_type="HUMAN", source_id="alice"),
)
mlflow.log_expectation(trace_id=in_run, name="expected_answer", value="Paris")
print(
    json.dumps(
        {
            "experiment_id": run.info.experiment_id,
            "run_id": run.info.run_id,
            "in_run": in_run,
            "failed": failed,
            "second": second,
        }
    )
)
