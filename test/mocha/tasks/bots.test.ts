// `npx hardhat solver run` and `npx hardhat keeper run` as an operator runs them: processes of
// their own against a node with a deployed system, until Ctrl-C.
import { createServer } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { freePort } from "../../../scripts/lib/local-chain.js";
import { ACCOUNTS, type RunningTask, spawnTask, terminalEnv } from "./harness.js";
import { type TaskEnv, startTaskEnv } from "./in-process.js";

describe("tasks: solver run and keeper run", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const running: RunningTask[] = [];

  function start(task: "solver run" | "keeper run", args: string[]): RunningTask {
    const handle = spawnTask([...task.split(" "), "--network", "localhost", ...args], env);
    running.push(handle);
    return handle;
  }

  before(async function () {
    t = await startTaskEnv();
    env = terminalEnv({ INTENTKIT_LOCALHOST_URL: t.chain.url, INTENTKIT_DEPLOYMENT: t.deploymentId });
    dir = await mkdtemp(path.join(tmpdir(), "intentkit-bot-task-"));
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.solver, "--amount", "1000"]);
    await t.ok("solver register", ["--bond", "1000", "--approve", "--from", "1"]);
    await t.ok("token mint", ["--token", "USDC", "--to", ACCOUNTS.solver, "--amount", "10000"]);
    await t.ok("token mint", ["--token", "WETH", "--to", ACCOUNTS.user, "--amount", "10"]);
  });
  after(async function () {
    for (const bot of running) if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("solver run fills the demo deployment's swap with no rules file, serves /health and /metrics, and stops on SIGINT", async function () {
    const submitted = await t.ok("intent submit", [
      ...["--from", "2", "--type", "swap", "--token", "WETH", "--amount", "1"],
      ...["--token-out", "USDC", "--min-out", "3000", "--recipient", ACCOUNTS.recipient, "--approve", "--json"],
    ]);
    const id = submitted.json<{ id: string }>().id;
    const port = await freePort();
    const bot = start("solver run", ["--from", "1", "--port", String(port)]);
    expect(await bot.line(/^solver 0x/)).to.include(`/metrics and /health at http://127.0.0.1:${port}`);
    expect(await bot.line(/^fulfilled /)).to.include(id);
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).to.include({ status: "ok", account: ACCOUNTS.solver, activeClaims: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/bot_actions_total\{action="fulfill",outcome="ok",bot="solver"\} 1/);
    const status = await t.ok("intent status", [id, "--json"]);
    expect(status.json<{ status: string }>().status).to.equal("Completed");
    bot.child.kill("SIGINT");
    expect(await bot.exited).to.equal(0);
    expect(bot.output.at(-1)).to.match(/^solver stopped \(next nonce \d+\)/);
  });

  it("keeper run fails a lapsed claim and expires a stale intent", async function () {
    const claimed = await t.ok("intent submit", [
      ...["--from", "2", "--type", "transfer", "--token", "WETH", "--amount", "0.1"],
      ...["--recipient", ACCOUNTS.recipient, "--approve", "--json"],
    ]);
    const lapsing = claimed.json<{ id: string }>().id;
    await t.ok("intent claim", [lapsing, "--from", "1"]);
    const stale = (
      await t.ok("intent submit", [
        ...["--from", "2", "--type", "transfer", "--token", "WETH", "--amount", "0.1", "--ttl", "90s"],
        ...["--recipient", ACCOUNTS.recipient, "--approve", "--json"],
      ])
    ).json<{ id: string }>().id;
    await t.ok("chain advance", ["--by", "2h"]);
    const keeper = start("keeper run", ["--from", "5", "--port", "0"]);
    const lines = [await keeper.line(/^failed the lapsed claim of /), await keeper.line(/^expired /)];
    expect(lines.join("\n")).to.include(lapsing).and.to.include(stale);
    expect((await t.ok("intent status", [lapsing, "--json"])).json<{ status: string }>().status).to.match(
      /Expired|Failed/,
    );
    expect((await t.ok("intent status", [stale, "--json"])).json<{ status: string }>().status).to.equal("Expired");
    keeper.child.kill("SIGTERM");
    expect(await keeper.exited).to.equal(0);
  });

  it("refuses a bad rules file in one line, and an account without a key after alerting the webhook", async function () {
    const rules = path.join(dir, "rules.json");
    await writeFile(rules, JSON.stringify({ minMarginBps: 20_000, slippage: 1 }));
    const bad = start("solver run", ["--from", "1", "--port", "0", "--rules", rules]);
    expect(await bad.exited).to.equal(1);
    const error = bad.output.join("").trim();
    expect(error).to.match(
      /^error: --rules .*rules\.json: minMarginBps: .*10000.*; \(file\): Unrecognized key.*slippage/,
    );
    expect(error.split("\n")).to.have.length(1);

    const alerts: { cause: string; message: string }[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        alerts.push(JSON.parse(body));
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`;
      const keyless = "0x000000000000000000000000000000000000dEaD";
      const missing = start("solver run", ["--from", keyless, "--port", "0", "--webhook-url", hook]);
      expect(await missing.exited).to.equal(1);
      expect(missing.output.join("")).to.match(/^error: --from 0x0+dEaD: this network has no key for that account/);
      expect(alerts.map((a) => a.cause)).to.deep.equal(["MISSING_KEY"]);
    } finally {
      server.close();
    }
  });
});
