#!/usr/bin/env node
// Runs a local chain (the command in argv) and ties its life to the parent's: when the parent
// exits for any reason, even SIGKILL, the pipe on our stdin closes and we stop the chain, so no
// orphan node survives a crashed test or task. Also forwards SIGINT/SIGTERM.
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const chain = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });

let stopping = false;
function stop(signal = "SIGTERM") {
  if (stopping) return;
  stopping = true;
  chain.kill(signal);
  // A node that ignores SIGTERM is killed outright.
  setTimeout(() => chain.kill("SIGKILL"), 3000).unref();
}

chain.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
chain.on("error", (error) => {
  console.error(`cannot start ${command}: ${error.message}`);
  process.exit(1);
});
process.stdin.on("end", () => stop());
process.stdin.on("close", () => stop());
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop());
