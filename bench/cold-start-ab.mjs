#!/usr/bin/env node
/**
 * Cold start of two (or more) builds side by side with the bare `node:http` floor, measured as
 * workloads/cold-start.mjs measures it (launch → first 200 from /health, fresh database each time), the variants
 * taking turns so that a busy machine slows them alike. Besides the wall time it reports each process's CPU time up
 * to that first 200 (all its threads, from /proc/<pid>/task/<tid>/schedstat): on a loaded machine the wall time
 * scales with the load, the CPU time much less.
 *
 *   node bench/cold-start-ab.mjs [--starts 10] label=path/to/cli.js [label=path/to/other/cli.js …]
 *
 * Each cli.js must sit below the repository's node_modules' parent (a frozen copy of apps/server/dist, say
 * node_modules/.ab/before/, with apps/server/package.json copied to its parent for `--version`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { median } from "./load.mjs";
import { installCleanup, startServer, stopServer } from "./servers.mjs";

const { values, positionals } = parseArgs({
  options: { starts: { type: "string", default: "10" } },
  allowPositionals: true,
});
const starts = Number(values.starts);
const variants = positionals.map((arg) => {
  const at = arg.indexOf("=");
  if (at <= 0) throw new Error(`expected label=path/to/cli.js, got ${arg}`);
  return { label: arg.slice(0, at), cli: arg.slice(at + 1) };
});
if (variants.length === 0) throw new Error("name at least one build: label=path/to/cli.js");

/** CPU time of a process so far, in ms: the sum over its threads (V8 compiles and collects garbage off-thread). */
function cpuMs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {}
  }
  return ns / 1e6;
}

installCleanup();
const rows = [{ label: "node:http floor" }, ...variants];
const wall = new Map(rows.map((r) => [r.label, []]));
const cpu = new Map(rows.map((r) => [r.label, []]));
const loadStart = loadavg();
for (let i = 0; i < starts; i++) {
  for (const row of i % 2 === 0 ? rows : [...rows].reverse()) {
    if (row.cli) process.env.BENCH_TRACKLITE_CLI = row.cli;
    const server = await startServer(row.cli ? "tracklite" : "node-floor");
    wall.get(row.label).push(server.startMs);
    cpu.get(row.label).push(cpuMs(server.pid));
    await stopServer(server, { graceMs: 5000 });
  }
}
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(", ");
console.log(`| build | wall median (ms) | CPU median (ms) | wall samples | CPU samples |`);
console.log(`|---|---:|---:|---|---|`);
for (const { label } of rows) {
  const w = wall.get(label);
  const c = cpu.get(label);
  console.log(`| ${label} | ${median(w).toFixed(0)} | ${median(c).toFixed(0)} | ${fmt(w)} | ${fmt(c)} |`);
}
const la = (l) => l.map((x) => x.toFixed(2)).join(" ");
console.log(`\n${starts} starts each; load average ${la(loadStart)} at start, ${la(loadavg())} at end.`);
