// The throwaway Postgres and Redis of the service's tests are tied to the life of the process that
// started them: killed with SIGKILL, it leaves neither behind.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";

import { expect } from "chai";

import { postgresAvailable } from "../../../scripts/lib/local-servers.js";

const STARTER = `
import { startPostgres, startRedis } from ${JSON.stringify(path.resolve("scripts/lib/local-servers.ts"))};
const pg = await startPostgres();
const redis = await startRedis();
console.log(JSON.stringify({ pg: new URL(pg.url).port, redis: new URL(redis.url).port, pgDir: pg.dir }));
await new Promise(() => {});
`;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("service test servers", function () {
  this.timeout(60_000);

  it("stop Postgres and Redis, and delete Postgres's folder, when the process that started them is killed with SIGKILL", async function () {
    if (!postgresAvailable()) throw new Error("Postgres is not installed: run node scripts/system-packages.mjs");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", STARTER], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = await Promise.race([
      new Promise<string[]>((resolve) => createInterface({ input: child.stdout! }).once("line", (l) => resolve([l]))),
      new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`starter exited ${code}`)))),
    ]);
    const ports = JSON.parse(line!) as { pg: string; redis: string; pgDir: string };
    expect(existsSync(ports.pgDir), "Postgres's folder").to.equal(true);
    expect(await answers(Number(ports.pg)), "Postgres is up").to.equal(true);
    expect(await answers(Number(ports.redis)), "Redis is up").to.equal(true);
    child.kill("SIGKILL");
    expect(await until(async () => !(await answers(Number(ports.pg))), 20_000), "Postgres stopped").to.equal(true);
    expect(await until(async () => !(await answers(Number(ports.redis))), 20_000), "Redis stopped").to.equal(true);
    expect(await until(async () => !existsSync(ports.pgDir), 20_000), "Postgres's folder deleted").to.equal(true);
  });
});
