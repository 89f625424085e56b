"""A live run for the e2e tests: logs `live/loss` every 0.3 s until SIGTERM (or 1,000 steps), then ends FINISHED.

Usage: MLFLOW_TRACKING_URI=... python live.py EXPERIMENT_NAME RUN_NAME
Prints the run id on the first line of stdout, then one line per logged step.
"""

import signal
import sys
import time

import mlflow

stop = False


def on_term(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
mlflow.set_experiment(sys.argv[1])
with mlflow.start_run(run_name=sys.argv[2]) as run:
    print(run.info.run_id, flush=True)
    mlflow.log_param("mode", "live")
    for step in range(1000):
        if stop:
            break
        mlflow.log_metric("live/loss", round(10.0 / (step + 1), 6), step=step)
        print(step, flush=True)
        time.sleep(0.3)
