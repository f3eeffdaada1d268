// Servers the service's tests and benchmark start for themselves on 127.0.0.1 and free ports, and
// stop: Redis (Debian's redis-server, in memory) and Postgres (initdb + pg_ctl from Debian's
// postgresql, in a temporary folder). scripts/system-packages.mjs installs both. Each is tied to
// this process's life by a guard on a stdin pipe, so a test killed by a timeout or SIGKILL leaves
// no server behind: Redis runs under chain-guard.mjs, and Postgres, which pg_ctl detaches, has
// stop-guard.mjs waiting to run `pg_ctl stop`.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "./local-chain.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs a guard script with a pipe on its stdin that closes when this process ends. */
function guard(script: string, command: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(here, script), ...command], { stdio: ["pipe", "ignore", "ignore"] });
}

// ---------------------------------------------------------------- Redis

export interface RedisServer {
  url: string;
  /** The guard's PID: killed, it stops redis-server. */
  pid: number;
  stop(): Promise<void>;
}

/** A redis-server of its own on 127.0.0.1 and a free port, in memory only; stop() kills it by its PID. */
export async function startRedis(): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error !== undefined) {
    throw new Error("redis-server is not installed: run `node scripts/system-packages.mjs` (Debian's redis-server)");
  }
  const port = await freePort();
  const child = guard("chain-guard.mjs", [
    "redis-server",
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ]);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout?.trim() === "PONG") break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM"); // the guard stops redis-server, then exits
      await exited;
    },
  };
}

// ---------------------------------------------------------------- Postgres

// Debian's postgresql package (15 on these machines): the server's programs are not on PATH.
const PG_BIN =
  (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [])
    .map((version) => `/usr/lib/postgresql/${version}/bin`)
    .find((bin) => existsSync(path.join(bin, "initdb"))) ?? "/usr/lib/postgresql/15/bin";

export function postgresAvailable(): boolean {
  return existsSync(path.join(PG_BIN, "initdb"));
}

export interface Postgres {
  url: string;
  /** The temporary folder of its data and log. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A Postgres of its own on 127.0.0.1: initdb into a temporary folder, pg_ctl start on a free port,
 * trust auth for the local user; stop() stops it and deletes the folder.
 */
export async function startPostgres(): Promise<Postgres> {
  if (!postgresAvailable()) {
    throw new Error(`initdb is not in ${PG_BIN}: run \`node scripts/system-packages.mjs\` (Debian's postgresql)`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "intentkit-pg-"));
  const data = path.join(dir, "data");
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length > 0) spawnSync("chown", ["-R", "postgres", dir]);
  const run = (command: string, args: string[]) => {
    const [bin, ...rest] = [...asUser, path.join(PG_BIN, command), ...args];
    const result = spawnSync(bin, rest, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "intentkit", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    path.join(dir, "log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "-w",
    "start",
  ]);
  const stopArgs = ["-D", data, "-m", "immediate", "-w", "stop"];
  const watcher = guard("stop-guard.mjs", ["--remove", dir, ...asUser, path.join(PG_BIN, "pg_ctl"), ...stopArgs]);
  return {
    url: `postgres://intentkit@127.0.0.1:${port}/postgres`,
    dir,
    stop: async () => {
      try {
        run("pg_ctl", stopArgs);
      } finally {
        watcher.kill("SIGKILL"); // stopped already: the guard has nothing left to do
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
