/**
 * Cold start: process launch to the first 200 from /health (polled every millisecond), each time with a fresh
 * database. The harness's own first start of each server counts as one sample; extra starts add more.
 */
import { median } from "../load.mjs";
import { startServer, stopServer } from "../servers.mjs";
import { row } from "./common.mjs";

export async function coldStart(ctx) {
  const { cfg, servers, log } = ctx;
  const samples = { reference: [servers.reference.startMs], tracklite: [servers.tracklite.startMs] };
  const extra = cfg.coldStartExtra;
  for (let i = 0; i < Math.max(extra.reference, extra.tracklite); i++) {
    for (const kind of i % 2 === 0 ? ["tracklite", "reference"] : ["reference", "tracklite"]) {
      if (i >= extra[kind]) continue;
      const s = await startServer(kind);
      samples[kind].push(s.startMs);
      await stopServer(s, { graceMs: 5000 });
    }
  }
  // The floor: launching Node itself and answering one request, with nothing loaded.
  const floor = [];
  for (let i = 0; i < Math.max(3, extra.tracklite); i++) {
    const s = await startServer("node-floor");
    floor.push(s.startMs);
    await stopServer(s, { graceMs: 2000 });
  }
  ctx.notes.push(
    `Cold-start floor: a bare \`node:http\` server answering /health (nothing else loaded) starts in ` +
      `${median(floor).toFixed(0)} ms median here (${floor.map((x) => x.toFixed(0)).join(", ")} ms), measured the same way.`,
  );
  log(
    `cold start samples (ms): reference ${samples.reference.map((x) => x.toFixed(0)).join(", ")}; tracklite ${samples.tracklite.map((x) => x.toFixed(0)).join(", ")}`,
  );
  return [
    row(
      `cold start (launch → first 200 /health; ${samples.reference.length} / ${samples.tracklite.length} starts)`,
      "median",
      "ms",
      "lower",
      { reference: median(samples.reference), tracklite: median(samples.tracklite) },
    ),
  ];
}
