#!/usr/bin/env node
// Ties a daemon's life to the parent's: when the parent exits for any reason, even SIGKILL, the
// pipe on our stdin closes and we run the stop command in argv (for Postgres, `pg_ctl stop`),
// then delete the folder given with `--remove`. For servers that detach themselves, which
// chain-guard.mjs cannot hold as its child.
// node stop-guard.mjs [--remove <folder>] <command> [args...]
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const argv = process.argv.slice(2);
const remove = argv[0] === "--remove" ? argv.splice(0, 2)[1] : undefined;
const [command, ...args] = argv;
let stopped = false;
function stop() {
  if (stopped) return;
  stopped = true;
  spawnSync(command, args, { stdio: "ignore" });
  if (remove !== undefined) rmSync(remove, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
