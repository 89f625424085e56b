/**
 * `tracklite import` as a process of its own for the kill-and-resume test: the command's code over the in-test array
 * source (8 runs of 2,000 points, paused per batch so that a kill lands mid-run) into tracklite's store through the
 * real import sink. Usage: node --conditions=tracklite-source --import tsx run-import.test-fixture.ts TARGET_DB
 */
import { arraySource, sampleData } from "./array-source.test-helpers.js";
import { parseImportCommand } from "./command.js";
import { runImportCommand } from "./run-command.js";

const [path] = process.argv.slice(2);
const command = parseImportCommand(["arrays:", "--backend-store-uri", path ?? "x.db"], {});
if (command.kind !== "import") throw new Error(JSON.stringify(command));
const source = arraySource({ experiments: sampleData(1, 8, 2000).experiments }, { batch: 200, pauseMs: 15 });
const status = await runImportCommand(command.options, {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  kinds: [{ kind: "arrays", matches: (l) => l.startsWith("arrays:"), open: async () => source }],
});
process.exit(status);
