// The off-chain service against the live deployment: it indexes from the deployment's first block,
// catches up with the head and agrees with the chain on every intent and solver it holds.
import { expect } from "chai";

import { SOLVER_STATUS } from "../../lib/domain/roles.js";
import { STATUS_NAMES } from "../../lib/domain/intents.js";
import { createService } from "../../service/service.js";
import { openDatabase } from "../../service/store/database.js";
import { E18, TEST_TIMEOUT, ctx } from "./context.js";

describe("integration: the off-chain service", function () {
  this.timeout(TEST_TIMEOUT);

  it("catches up with the deployment and agrees with the chain on every intent and solver", async function () {
    const { manifest, provider, verifier, registry, usdc } = ctx();
    const [user, recipient] = await ctx().accounts(2);
    const intent = await ctx().transferIntent(
      user.address,
      usdc,
      await ctx().policyAmount(1, usdc, E18),
      recipient.address,
    );
    const { receipt, id } = await ctx().submit(user, intent);

    const startBlock = Math.min(...Object.values(manifest.contracts).map((contract) => contract.blockNumber));
    const service = await createService({
      db: await openDatabase(),
      provider,
      chainId: manifest.chainId,
      contracts: { IntentVerifier: await verifier.getAddress(), SolverRegistry: await registry.getAddress() },
      startBlock,
      pollMs: 200,
    });
    try {
      const deadline = Date.now() + TEST_TIMEOUT / 2;
      for (;;) {
        const ready = await service.app.inject("/ready");
        if (ready.statusCode === 200 && ready.json().indexed >= receipt.blockNumber) break;
        if (Date.now() > deadline) throw new Error(`the service did not catch up: ${ready.body}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const mine = (await service.app.inject(`/api/intents/${id}`)).json();
      expect([mine.intent.user, mine.status]).to.deep.equal([user.address.toLowerCase(), "Pending"]);

      const indexed = (await service.indexer.checkpoint())!.blockNumber;
      const at = { blockTag: indexed };
      const submitted = await verifier.queryFilter(verifier.filters.IntentSubmitted(), startBlock, indexed);
      const rows = (await service.app.inject("/api/intents?limit=500")).json().intents as {
        id: string;
        status: string;
        source: string;
      }[];
      expect(rows.filter((row) => row.source === "submit").length, "a row per IntentSubmitted").to.equal(
        new Set(submitted.map((event) => event.args.id)).size,
      );
      for (const row of rows.filter((r) => r.source === "submit")) {
        expect(row.status, row.id).to.equal(STATUS_NAMES[Number(await verifier.statusOf(row.id, at))]);
      }
      const solvers = (await service.app.inject("/api/solvers")).json().solvers as {
        address: string;
        status: string;
        bond: string;
        completed: number;
        failed: number;
      }[];
      expect(solvers.length).to.be.greaterThan(0);
      for (const solver of solvers) {
        const info = await registry.getSolver(solver.address, at);
        expect([solver.status, solver.bond, solver.completed, solver.failed], solver.address).to.deep.equal([
          SOLVER_STATUS[Number(info.status)],
          info.bond.toString(),
          Number(info.completed),
          Number(info.failed),
        ]);
      }
    } finally {
      await service.close();
    }
  });
});
