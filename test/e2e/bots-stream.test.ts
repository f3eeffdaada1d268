// The solver bots and the keeper in this process, behind a proxy that drops 20 % of their
// requests and answers 429 to 10 %: two solvers compete for the same intents, claim-mode and
// signed, and a keeper watches (bots-kill.test.ts runs it at 200 intents, with kill -9); and a
// solver that follows the service's live stream. In the e2e tier to keep npm test inside 6 min.
import { expect } from "chai";

import { type RunningBot, startBot } from "../../service/bots/run.js";
import { createService } from "../../service/service.js";
import {
  FAULTS,
  type Scenario,
  errorTotals,
  settled,
  startCompetingBots,
  startScenario,
} from "../mocha/service/bot-scenario.js";
import { freshStore } from "../mocha/service/harness.js";

describe("service: solver bots and keeper behind a faulty node", function () {
  this.timeout(180_000);
  let s: Scenario;
  const bots: RunningBot[] = [];

  before(async function () {
    s = await startScenario({ claimMode: 24, signed: 8 });
  });
  after(async function () {
    for (const bot of bots) await bot.stop();
    await s?.stop();
  });

  it("completes every intent before its deadline, sends no nonce twice, slashes nobody and counts every failure by its code", async function () {
    const { f } = s.c;
    s.proxy.plan = { ...FAULTS };
    bots.push(...(await startCompetingBots(s)));
    const result = await settled(s, 120_000);
    for (const bot of bots.splice(0).reverse()) {
      await bot.stop();
      bots.unshift(bot);
    }
    s.proxy.plan = { ...FAULTS, dropShare: 0, tooManyShare: 0 };

    expect(result.notCompleted, "claim-mode intents not completed").to.deep.equal([]);
    expect(result.notFilled, "signed intents not filled").to.deep.equal([]);
    expect(
      [...result.claimsPerIntent.values()].every((n) => n === 1),
      "an intent claimed twice",
    ).to.equal(true);
    expect(result.claimFailures, "lapsed claims").to.equal(0);
    expect(result.slashes, "slashes").to.equal(0);
    const solvers = [f.solver.address.toLowerCase(), f.otherSolver.address.toLowerCase()];
    for (const solver of solvers) {
      const done = result.bySolver.get(solver);
      expect((done?.completed ?? 0) + (done?.filled ?? 0), `settlements of ${solver}`).to.be.greaterThan(0);
    }
    expect(s.proxy.reusedNonces(), "a nonce sent with two transactions").to.deep.equal([]);

    // Every request the proxy dropped or refused is one failure a bot counted under its code.
    const totals = await errorTotals(bots);
    expect(totals.get("RPC_DROPPED") ?? 0).to.equal(s.proxy.counts.dropped);
    expect(totals.get("RPC_RATE_LIMITED") ?? 0).to.equal(s.proxy.counts.tooMany);
    expect(s.proxy.counts.dropped).to.be.greaterThan(0);
  });

  it("learns of intents from the service's live stream (GET /api/events) when given a service URL", async function () {
    const { f } = s.c;
    const db = await freshStore();
    const service = await createService({
      db,
      provider: s.c.provider,
      chainId: 31337,
      contracts: { IntentVerifier: f.verifierAddress, SolverRegistry: f.registryAddress },
      startBlock: s.c.startBlock,
      pollMs: 50,
    });
    try {
      const base = await service.app.listen({ host: "127.0.0.1", port: 0 });
      s.proxy.plan = { ...FAULTS };
      // A chain source starting at this block would never see the new intents: only the stream can.
      const bot = await startBot(
        s.settings("solver", f.solver, {
          serviceUrl: base,
          fromBlock: 1_000_000_000,
          rules: { ...s.rules, signedIntents: undefined },
        }),
      );
      bots.push(bot);
      const ids: string[] = [];
      let nonce = await f.verifier.nextNonce(f.user.address);
      for (let i = 0; i < 6; i++) {
        const intent = await f.transferIntent({ nonce: nonce++ });
        ids.push((await f.verifier.hashIntent(intent)).toLowerCase());
        await (await f.verifier.connect(f.user).submit(intent)).wait();
      }
      s.claimIds.push(...ids);
      const result = await settled(s, 60_000);
      await bot.stop();
      s.proxy.plan = { ...FAULTS, dropShare: 0, tooManyShare: 0 };
      expect(result.notCompleted).to.deep.equal([]);
      expect(result.bySolver.get(f.solver.address.toLowerCase())!.completed).to.be.greaterThan(0);
    } finally {
      await service.close();
    }
  });
});
