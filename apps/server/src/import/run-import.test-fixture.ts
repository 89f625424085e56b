/**
 * `tracklite import` as a process of its own for the kill-and-resume test: the command's code over the in-test array
 * source (8 runs of 2,000 points, paused per batch so that a kill lands mid-run) into a minimal sink file.
 * Usage: node --import tsx run-import.test-fixture.ts SINK_DB
 */
import { arraySource, sampleData } from "./array-source.test-helpers.js";
import { parseImportCommand } from "./command.js";
import { openFileSink } from "./file-sink.test-helpers.js";
import { runImportCommand } from "./run-command.js";

const [path] = process.argv.slice(2);
const command = parseImportCommand(["arrays:", "--backend-store-uri", path ?? "x.db"], {});
if (command.kind !== "import") throw new Error(JSON.stringify(command));
const source = arraySource(sampleData(1, 8, 2000), { batch: 200, pauseMs: 15 });
const status = await runImportCommand(command.options, {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  kinds: [{ kind: "arrays", matches: (l) => l.startsWith("arrays:"), open: async () => source }],
  openSink: (o) => openFileSink(o.backendStoreUri.slice("file:".length)),
});
process.exit(status);
