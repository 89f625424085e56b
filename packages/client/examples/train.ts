/**
 * A small training loop logging to an MLflow-compatible server (tracklite or MLflow's own) with the fluent API:
 * params, a metric per step, a nested evaluation run, an artifact and a model file.
 *
 *   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 npx tsx packages/client/examples/train.ts      # Node
 *   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A packages/client/examples/train.ts  # Deno
 *   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 bun packages/client/examples/train.ts          # Bun
 *
 * It prints the run id on its last line.
 */
import { Tracking } from "@tracklite/client";

const tracking = new Tracking();
const params = { learningRate: 0.1, epochs: 50, hidden: 16 };
const run = await tracking.startRun({
  experimentName: "ts-example",
  runName: "linear-regression",
  description: "Fits y = 3x + 1 by gradient descent.",
});
await run.logParams(params);

// Fit y = 3x + 1 with plain gradient descent; log the loss every step.
const xs = Array.from({ length: 64 }, (_, i) => i / 64);
const ys = xs.map((x) => 3 * x + 1);
let w = 0;
let b = 0;
for (let step = 0; step < params.epochs; step++) {
  let gw = 0;
  let gb = 0;
  let loss = 0;
  xs.forEach((x, i) => {
    const err = w * x + b - (ys[i] ?? 0);
    loss += err * err;
    gw += 2 * err * x;
    gb += 2 * err;
  });
  w -= (params.learningRate * gw) / xs.length;
  b -= (params.learningRate * gb) / xs.length;
  // Resolves at once while the queue has room; the queue sends the points as a few log-batch calls.
  await run.logMetrics({ "train/loss": loss / xs.length, "train/w": w }, { step });
}

const evaluation = await run.startRun({ runName: "evaluate" });
await evaluation.logMetric("val/mae", Math.abs(w - 3) + Math.abs(b - 1));
await evaluation.end();

await run.logDict({ w, b }, "results/weights.json");
await run.logModel("linear", { "model.json": { text: JSON.stringify({ kind: "linear", w, b }) } });
await run.end();
await tracking.close();
console.log(run.id);
