// One solc-js compiler in a worker thread (see solc.ts): soljson blocks the thread it runs on for
// the whole compilation, so it runs here and the pipeline's progress display keeps moving.
// Messages in: { id, input } with the standard-JSON input as a string; out: { id, output } with
// solc's output string, or { id, error }. The first message out is { version }.
import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";

const require = createRequire(import.meta.url);
const solc = require("solc");

parentPort.postMessage({ version: solc.version() });
parentPort.on("message", ({ id, input }) => {
  try {
    parentPort.postMessage({ id, output: solc.compile(input) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
