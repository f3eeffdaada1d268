// The solver bots at the scale the brief names: 200 intents (claim-mode and signed), two solvers
// competing for them and a keeper, all behind a proxy that drops 20 % of their requests and
// answers 429 to 10 %. Once in this process, every failure counted; once as processes of their own
// killed with SIGKILL ten times in the middle of it and restarted.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import type { RunningBot } from "../../service/bots/run.js";
import {
  FAULTS,
  type Outcome,
  type Scenario,
  errorTotals,
  outcome,
  settled,
  startCompetingBots,
  startScenario,
} from "../mocha/service/bot-scenario.js";

const WORKER = path.join(import.meta.dirname, "bot-worker.ts");
const CLAIM_MODE = 160;
const SIGNED = 40;

function expectClean(result: Outcome, s: Scenario): void {
  const { f } = s.c;
  expect(result.notCompleted, "claim-mode intents not completed").to.deep.equal([]);
  expect(result.notFilled, "signed intents not filled").to.deep.equal([]);
  const twice = [...result.claimsPerIntent].filter(([, n]) => n !== 1);
  expect(twice, "intents claimed more than once").to.deep.equal([]);
  expect(result.claimFailures, "claims that lapsed").to.equal(0);
  expect(result.slashes, "slashes").to.equal(0);
  for (const solver of [f.solver.address, f.otherSolver.address]) {
    const done = result.bySolver.get(solver.toLowerCase());
    expect((done?.completed ?? 0) + (done?.filled ?? 0), `settlements of ${solver}`).to.be.greaterThan(0);
  }
  expect(s.proxy.reusedNonces(), "a nonce sent with two different transactions").to.deep.equal([]);
}

function describeRun(result: Outcome, s: Scenario): string {
  const by = [...result.bySolver].map(
    ([solver, n]) => `${solver.slice(0, 8)}: ${n.completed} claimed, ${n.filled} filled`,
  );
  return `${by.join("; ")}; proxy ${JSON.stringify(s.proxy.counts)}`;
}

describe("service: solver bots at 200 intents behind a faulty node", function () {
  this.timeout(600_000);

  it("in this process: all 200 complete before their deadlines, no nonce twice, no slash, both solvers fill, every failure counted by its code", async function () {
    const s = await startScenario({ claimMode: CLAIM_MODE, signed: SIGNED });
    const bots: RunningBot[] = [];
    try {
      s.proxy.plan = { ...FAULTS };
      const started = Date.now();
      bots.push(...(await startCompetingBots(s)));
      const result = await settled(s, 300_000);
      const seconds = Math.round((Date.now() - started) / 1000);
      for (const bot of bots) await bot.stop();
      expectClean(result, s);
      const totals = await errorTotals(bots);
      expect(totals.get("RPC_DROPPED") ?? 0, "drops counted").to.equal(s.proxy.counts.dropped);
      expect(totals.get("RPC_RATE_LIMITED") ?? 0, "429s counted").to.equal(s.proxy.counts.tooMany);
      console.log(
        `      ${seconds} s; ${describeRun(result, s)}; counted ${JSON.stringify(Object.fromEntries(totals))}`,
      );
    } finally {
      for (const bot of bots) await bot.stop();
      await s.stop();
    }
  });

  it("as processes killed with SIGKILL ten times: no intent claimed twice, no claim left to lapse, no slash", async function () {
    const s = await startScenario({ claimMode: CLAIM_MODE, signed: SIGNED });
    const dir = await mkdtemp(path.join(tmpdir(), "intentkit-bots-"));
    const children = new Set<ChildProcess>();
    try {
      const { f } = s.c;
      // Without Retry-After here: a 429 then waits the backoff alone (the in-process test honours it).
      s.proxy.plan = { ...FAULTS, retryAfterSeconds: 0 };
      const launch = async (name: string, kind: "solver" | "keeper", account: HardhatEthersSigner) => {
        const file = path.join(dir, `${name}.json`);
        const { rules: _rules, log: _log, ...settings } = s.settings(kind, account, { monitorPort: undefined });
        await writeFile(file, JSON.stringify({ ...settings, rulesFile: { signedIntents: s.signedDir } }));
        const child = spawn(process.execPath, ["--import", "tsx", WORKER, file], { stdio: ["ignore", "pipe", "pipe"] });
        children.add(child);
        child.once("exit", () => children.delete(child));
        const lines = createInterface({ input: child.stdout! });
        await new Promise<void>((resolve, reject) => {
          lines.on("line", (text) => text === "running" && resolve());
          child.once("exit", (code) => reject(new Error(`${name} exited ${code} before running`)));
        });
        return child;
      };
      const started = Date.now();
      await launch("keeper", "keeper", f.relayer);
      const solvers = { a: await launch("a", "solver", f.solver), b: await launch("b", "solver", f.otherSolver) };
      const accounts = { a: f.solver, b: f.otherSolver };
      let kills = 0;
      let settledCount = 0;
      for (let round = 0; round < 10; round++) {
        // Each kill lands while intents are still open, after the bots made some progress.
        const before = settledCount;
        const wait = Date.now() + 20_000;
        while (Date.now() < wait) {
          await new Promise((resolve) => setTimeout(resolve, 400 + 200 * (round % 3)));
          const now = await outcome(s);
          settledCount = CLAIM_MODE + SIGNED - now.notCompleted.length - now.notFilled.length;
          if (settledCount > before + 4 || settledCount === CLAIM_MODE + SIGNED) break;
        }
        if (settledCount === CLAIM_MODE + SIGNED) break;
        const name = round % 2 === 0 ? "a" : "b";
        const child = solvers[name];
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
        kills++;
        solvers[name] = await launch(name, "solver", accounts[name]);
      }
      const result = await settled(s, 300_000);
      const seconds = Math.round((Date.now() - started) / 1000);
      expect(kills, "kills while intents were open").to.equal(10);
      expectClean(result, s);
      console.log(`      ${seconds} s, ${kills} kills; ${describeRun(result, s)}`);
    } finally {
      for (const child of children) child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
      await s.stop();
    }
  });
});
