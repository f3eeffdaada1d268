import { expect } from "chai";

import type { ChainEvent } from "../../../service/indexer/events.js";
import { applyEvents } from "../../../service/indexer/projection.js";
import { type Database, openDatabase } from "../../../service/store/database.js";
import { migrate } from "../../../service/store/migrate.js";

const INTENT = `0x${"1a".repeat(32)}`;
const FILLED = `0x${"2b".repeat(32)}`;
const USER = `0x${"aa".repeat(20)}`;
const SOLVER = `0x${"bb".repeat(20)}`;

let block = 10;
function event(contract: ChainEvent["contract"], name: string, args: ChainEvent["args"]): ChainEvent {
  block++;
  return {
    blockNumber: block,
    logIndex: 0,
    blockHash: `0x${block.toString(16).padStart(64, "0")}`,
    blockTime: 1_800_000_000 + block * 12,
    txHash: `0x${(block * 7).toString(16).padStart(64, "0")}`,
    contract,
    name,
    intentId: typeof args.id === "string" ? args.id : null,
    solver: typeof args.solver === "string" ? args.solver : null,
    args,
  };
}

/** A solver's life and two intents: every kind of row the folds continue from an earlier batch. */
const EVENTS: ChainEvent[] = [
  event("SolverRegistry", "SolverRegistered", { solver: SOLVER, bond: "1000" }),
  event("IntentVerifier", "IntentSubmitted", {
    id: INTENT,
    user: USER,
    type: "transfer",
    nonce: "0",
    expiry: "1900000000",
    params: "0x",
    decoded: { token: USER, amount: "5", recipient: USER },
  }),
  event("IntentVerifier", "IntentClaimed", { id: INTENT, solver: SOLVER, claimDeadline: "1850000000" }),
  event("SolverRegistry", "SolverOutcomeRecorded", { solver: SOLVER, success: true, performanceScoreBps: "5625" }),
  event("IntentVerifier", "IntentCompleted", {
    id: INTENT,
    solver: SOLVER,
    received: "5",
    gasUsed: "120000",
    totalCost: "7",
  }),
  event("IntentVerifier", "IntentFilled", {
    id: FILLED,
    user: USER,
    type: "transfer",
    nonce: "1",
    solver: SOLVER,
    received: "9",
    params: "0x",
    decoded: null,
  }),
  event("SolverRegistry", "BondToppedUp", { solver: SOLVER, bond: "1500" }),
];

describe("service projection", function () {
  this.timeout(60_000);
  let db: Database;
  before(async function () {
    db = await openDatabase();
    await migrate(db);
  });
  after(async function () {
    await db.close();
  });

  async function project(batches: ChainEvent[][]): Promise<unknown> {
    await db.exec("TRUNCATE chain_events, intents, solvers");
    for (const batch of batches) await db.transaction((tx) => applyEvents(tx, batch));
    return {
      intents: await db.query("SELECT * FROM intents ORDER BY id"),
      solvers: await db.query("SELECT * FROM solvers ORDER BY address"),
    };
  }

  it("folds the same rows whichever batches the events arrive in", async function () {
    const whole = (await project([EVENTS])) as { solvers: { filled: number; bond: string }[] };
    expect(whole.solvers.map((solver) => [solver.filled, solver.bond])).to.deep.equal([[1, "1500"]]);
    for (let split = 1; split < EVENTS.length; split++) {
      expect(await project([EVENTS.slice(0, split), EVENTS.slice(split)]), `split before event ${split}`).to.deep.equal(
        whole,
      );
    }
    expect(await project(EVENTS.map((one) => [one])), "one event a batch").to.deep.equal(whole);
  });
});
