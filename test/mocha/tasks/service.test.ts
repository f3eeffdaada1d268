// `npx hardhat service start` as an operator runs it: a real process against a real node with a
// deployed system, serving until Ctrl-C, and resuming from its store the next time.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { freePort } from "../../../scripts/lib/local-chain.js";
import { type Postgres, type RedisServer, startPostgres, startRedis } from "../../../scripts/lib/local-servers.js";
import { redact } from "../../../service/store/database.js";
import { ACCOUNTS, ROOT, type RunningTask, type TaskChain, spawnTask, startTaskChain } from "./harness.js";

function start(t: TaskChain, port: number, env: NodeJS.ProcessEnv = {}, extra: string[] = []): RunningTask {
  return spawnTask(["service", "start", "--network", "localhost", "--port", String(port), ...extra], {
    ...t.env,
    ...env,
  });
}

async function ready(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    if (Date.now() > deadline) throw new Error("the service was not ready within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("tasks: service start", function () {
  this.timeout(300_000);
  let t: TaskChain;
  const running: RunningTask[] = [];

  before(async function () {
    t = await startTaskChain();
  });
  after(async function () {
    for (const service of running) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await t?.stop();
    await rm(path.join(ROOT, ".intentkit", "service", t.deploymentId), { recursive: true, force: true });
    await rm(path.join(ROOT, ".intentkit", "service", `${t.deploymentId}.lock`), { force: true });
  });

  it("indexes the deployment, serves it, stops cleanly on SIGINT and resumes from its store the next time", async function () {
    const port = await freePort();
    const first = start(t, port);
    running.push(first);
    expect(await first.line(/^service for deployment/)).to.match(/indexing from block \d+/);
    await ready(port);
    const { solvers } = (await (await fetch(`http://127.0.0.1:${port}/api/solvers`)).json()) as { solvers: unknown[] };
    expect(solvers).to.be.an("array");
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).to.equal(200);
    first.child.kill("SIGINT");
    expect(await first.exited, first.output.join("\n")).to.equal(0);
    expect(first.output).to.include("service stopped");

    const second = start(t, port);
    running.push(second);
    expect(await second.line(/^service for deployment/)).to.match(/resuming after block \d+/);
    await ready(port);
    second.child.kill("SIGTERM");
    expect(await second.exited, second.output.join("\n")).to.equal(0);
  });

  it("with --relayer, takes the file `intent sign` wrote at POST /api/intents and relays it; the page is served at /", async function () {
    await t.ok("token mint", ["--token", "WETH", "--to", ACCOUNTS.user, "--amount", "5"]);
    const file = path.join(await mkdtemp(path.join(tmpdir(), "intentkit-intake-")), "signed.json");
    const transfer = ["--type", "transfer", "--token", "WETH", "--amount", "0.5", "--recipient", ACCOUNTS.recipient];
    await t.ok("intent sign", [...transfer, "--from", "2", "--approve", "--out", file]);
    const port = await freePort();
    const service = start(t, port, {}, ["--relayer", "4", "--intents-per-window", "7"]);
    running.push(service);
    try {
      await intakeThroughTheTask(service, port, file);
    } finally {
      // The next case opens the same embedded store: this one lets go of it, whatever happened.
      if (service.child.exitCode === null) service.child.kill("SIGKILL");
      await service.exited;
    }
  });

  async function intakeThroughTheTask(service: RunningTask, port: number, file: string): Promise<void> {
    expect(await service.line(/^service for deployment/)).to.include(`relayer ${ACCOUNTS.other}`);
    await ready(port);
    const body = await readFile(file, "utf8");
    const post = () =>
      fetch(`http://127.0.0.1:${port}/api/intents`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const accepted = await post();
    const answer = (await accepted.json()) as { id: string; status: string };
    expect(accepted.status, JSON.stringify(answer)).to.equal(201);
    expect(answer.id).to.equal(JSON.parse(body).id);
    expect(accepted.headers.get("ratelimit-policy")).to.equal("1000;w=60, 7;w=900");
    // The same file again: its nonce is used now, and the verifier's error says so, at no gas.
    const sent = await t.nonce(ACCOUNTS.other);
    const again = await post();
    expect(again.status).to.equal(422);
    expect(((await again.json()) as { error: { code: string } }).error.code).to.equal("InvalidNonce");
    expect(await t.nonce(ACCOUNTS.other)).to.equal(sent);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include("<html");
    service.child.kill("SIGINT");
    expect(await service.exited, service.output.join("\n")).to.equal(0);
  }

  it("refuses a second service on the same embedded store with one line naming the one running", async function () {
    const first = start(t, await freePort());
    running.push(first);
    await first.line(/^service for deployment/);
    const second = start(t, await freePort());
    running.push(second);
    expect(await second.exited).to.equal(1);
    const said = second.output.join("").trim();
    expect(said).to.match(
      new RegExp(
        `another indexer \\(pid ${first.child.pid}\\) is writing to .*: stop it first \\(one writer per store\\)`,
      ),
    );
    expect(said.split("\n"), said).to.have.length(1);
    first.child.kill("SIGINT");
    expect(await first.exited).to.equal(0);
  });

  it("refuses a database or Redis URL of another scheme with one line naming where it came from", async function () {
    for (const [args, env, said] of [
      [["--database-url", "mysql://db"], {}, '--database-url must be a postgres:// URL, got "mysql://db"'],
      [[], { DATABASE_URL: "mysql://db" }, '$DATABASE_URL must be a postgres:// URL, got "mysql://db"'],
      [[], { REDIS_URL: "http://cache/" }, '$REDIS_URL must be a redis:// URL, got "http://cache/"'],
    ] as const) {
      const result = await t.run("service start", [...args], { env });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(`error: ${said}`);
    }
  });

  describe("with DATABASE_URL and REDIS_URL set, as the README starts it", function () {
    let pg: Postgres | undefined;
    let redis: RedisServer | undefined;
    after(async function () {
      await redis?.stop();
      await pg?.stop();
    });

    it("stores in that Postgres and caches in that Redis", async function () {
      [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
      const port = await freePort();
      const service = start(t, port, { DATABASE_URL: pg.url, REDIS_URL: redis.url });
      running.push(service);
      const line = await service.line(/^service for deployment/);
      expect(line).to.include(`store: Postgres at ${redact(pg.url)}`);
      expect(line).to.include("cache: memory, Redis, chain");
      await ready(port);
      // A second instance with --api-only on the same Postgres and Redis: no indexer of its own.
      const apiPort = await freePort();
      const api = start(t, apiPort, { DATABASE_URL: pg.url, REDIS_URL: redis.url }, ["--api-only"]);
      running.push(api);
      expect(await api.line(/^API instance for deployment/)).to.include("indexed by another service");
      await ready(apiPort);
      const [fromIndexer, fromApi] = await Promise.all(
        [port, apiPort].map(async (p) => (await fetch(`http://127.0.0.1:${p}/api/solvers`)).json()),
      );
      expect(fromApi).to.deep.equal(fromIndexer);
      api.child.kill("SIGINT");
      expect(await api.exited, api.output.join("\n")).to.equal(0);
      expect(api.output).to.include("API instance stopped");
      service.child.kill("SIGINT");
      expect(await service.exited, service.output.join("\n")).to.equal(0);
    });
  });

  it("refuses --api-only on the embedded store with one line saying what it needs", async function () {
    const result = await t.run("service start", ["--api-only", "--port", String(await freePort())], {
      env: { DATABASE_URL: "", REDIS_URL: "" },
    });
    expect(result.code).to.equal(1);
    expect(result.stderr.trim().split("\n")).to.have.length(1);
    expect(result.stderr).to.include("--api-only serves beside a service that indexes into Postgres");
  });
});
