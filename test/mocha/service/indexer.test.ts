import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { STATUS_NAMES } from "../../../lib/domain/intents.js";
import { SOLVER_STATUS } from "../../../lib/domain/roles.js";
import { DeepReorgError } from "../../../service/indexer/indexer.js";
import { type Database, StoreLockedError, openDatabase } from "../../../service/store/database.js";
import {
  type ChainWithSystem,
  activity,
  chainWithSystem,
  dumpStore,
  freshStore,
  indexerFor,
  postgresAvailable,
  reorg,
  startPostgres,
  type Postgres,
} from "./harness.js";

/** The store agrees with the chain's own views on every intent and solver it holds. */
async function expectAgreesWithChain(db: Database, c: ChainWithSystem): Promise<void> {
  const intents = await db.query<{ id: string; status: string; source: string }>(
    "SELECT id, status, source FROM intents",
  );
  expect(intents.length).to.be.greaterThan(0);
  for (const row of intents) {
    if (row.source === "fill") {
      expect(row.status).to.equal("Completed"); // no record on chain: the event is the authority
      continue;
    }
    expect(row.status, row.id).to.equal(STATUS_NAMES[Number(await c.f.verifier.statusOf(row.id))]);
  }
  const solvers = await db.query<{
    address: string;
    status: string;
    bond: string;
    completed: number;
    failed: number;
    filled: number;
  }>("SELECT address, status, bond::text AS bond, completed, failed, filled FROM solvers");
  for (const row of solvers) {
    const info = await c.f.registry.getSolver(row.address);
    expect([row.status, row.bond, row.completed, row.failed, row.filled], row.address).to.deep.equal([
      SOLVER_STATUS[Number(info.status)],
      info.bond.toString(),
      Number(info.completed),
      Number(info.failed),
      Number(info.filled),
    ]);
  }
}

for (const store of ["pglite", "postgres"] as const) {
  describe(`service indexer on ${store}`, function () {
    this.timeout(180_000);
    let c: ChainWithSystem;
    let pg: Postgres | undefined;
    const open = () => freshStore(pg?.url);

    before(async function () {
      if (store === "postgres") {
        if (!postgresAvailable()) throw new Error("Postgres 15 is not installed: run node scripts/system-packages.mjs");
        pg = await startPostgres();
      }
      c = await chainWithSystem();
      await activity(c.f, c.provider);
    });
    after(async function () {
      await c?.stop();
      await pg?.stop();
    });

    async function resetDatabase(): Promise<Database> {
      const db = await open();
      if (db.kind === "postgres") {
        await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        await db.close();
        return open();
      }
      return db;
    }

    it("indexes every event in batches into intents, transactions and solvers that agree with the chain", async function () {
      const db = await resetDatabase();
      try {
        const batches: number[] = [];
        const indexer = indexerFor(db, c, { batchSize: 7, onBatch: (b) => void batches.push(b.events) });
        await indexer.catchUp();
        expect(batches.length).to.be.greaterThan(3);
        const checkpoint = await indexer.checkpoint();
        expect(checkpoint?.blockNumber).to.equal(await c.provider.getBlockNumber());
        await expectAgreesWithChain(db, c);
        const statuses = (await db.query<{ status: string }>("SELECT status FROM intents ORDER BY created_block")).map(
          (r) => r.status,
        );
        expect(statuses).to.deep.equal(["Completed", "Cancelled", "Completed", "Failed"]);
        const [tx] = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM intent_transactions");
        expect(Number(tx.n)).to.equal(9); // submit, claim, complete; submit, cancel; fill; submit, claim, fail
        const [swap] = await db.query<{ params: { amountIn: string }; gas_used: number }>(
          "SELECT params, gas_used FROM intents WHERE status = 'Completed' AND source = 'submit'",
        );
        expect(swap.params.amountIn).to.equal((10n ** 18n).toString());
        expect(swap.gas_used).to.equal(120_000);
      } finally {
        await db.close();
      }
    });

    it("marks a pending intent Expired once the indexed chain time passes its expiry, as statusOf does", async function () {
      const db = await resetDatabase();
      try {
        const indexer = indexerFor(db, c);
        const intent = await c.f.transferIntent({
          nonce: await c.f.verifier.nextNonce(c.f.user.address),
          expiry: (await c.f.latest()) + 120n,
        });
        await (await c.f.verifier.connect(c.f.user).submit(intent)).wait();
        const id = await c.f.verifier.hashIntent(intent);
        await indexer.catchUp();
        const status = async () =>
          (await db.query<{ status: string }>("SELECT status FROM intents WHERE id = $1", [id]))[0]?.status;
        expect(await status()).to.equal("Pending");
        await c.provider.send("evm_increaseTime", [121]);
        await c.provider.send("evm_mine", []);
        await indexer.catchUp();
        expect(await status()).to.equal("Expired");
        expect(STATUS_NAMES[Number(await c.f.verifier.statusOf(id))]).to.equal("Expired");
        const [row] = await db.query<{ same: boolean }>(
          "SELECT updated_at = expires_at AS same FROM intents WHERE id = $1",
          [id],
        );
        expect(row.same, "stamped with its expiry, not with when the job ran").to.equal(true);
      } finally {
        await db.close();
      }
    });

    for (const depth of [1, 5, 64]) {
      it(`rolls back a reorg of depth ${depth} exactly: the store equals a fresh index of the canonical chain`, async function () {
        const db = await resetDatabase();
        try {
          const reorgs: number[] = [];
          const indexer = indexerFor(db, c, { onReorg: (r) => void reorgs.push(r.depth) });
          await activity(c.f, c.provider); // fresh events at the tip
          if (depth === 64) await c.provider.send("anvil_mine", ["0x3c"]); // 60 more blocks: the tip activity sits deep
          await indexer.catchUp();
          const before = await dumpStore(db);
          await reorg(c.chain.url, depth, c.f.admin.address, c.f.stranger.address);
          await indexer.catchUp();
          expect(reorgs).to.have.length(1);
          expect(reorgs[0]).to.be.at.most(depth);

          // The fresh index goes into an embedded store: both stores must also agree row for row.
          const fresh = await freshStore();
          try {
            await indexerFor(fresh, c).catchUp();
            expect(await dumpStore(db)).to.deep.equal(await dumpStore(fresh));
          } finally {
            await fresh.close();
          }
          await expectAgreesWithChain(db, c);
          if (depth < 64) expect(await dumpStore(db)).to.not.deep.equal(before); // the reorg dropped events
        } finally {
          await db.close();
        }
      });
    }

    if (store === "pglite")
      it("admits one writer per embedded store: a lock file beside the folder, taken over once its process is gone", async function () {
        const dir = await mkdtemp(path.join(tmpdir(), "intentkit-lock-"));
        const dataDir = path.join(dir, "store");
        const holder = spawn("sleep", ["60"]);
        try {
          await mkdir(dataDir, { recursive: true });
          await writeFile(`${dataDir}.lock`, String(holder.pid));
          const error = await openDatabase({ dataDir }).then(
            (db) => db.close(),
            (e: unknown) => e,
          );
          expect(error).to.be.instanceOf(StoreLockedError);
          expect((error as Error).message).to.equal(
            `another indexer (pid ${holder.pid}) is writing to ${dataDir}: stop it first (one writer per store)`,
          );
          const exited = new Promise((resolve) => holder.once("exit", resolve));
          holder.kill("SIGKILL");
          await exited;
          const db = await openDatabase({ dataDir }); // stale: taken over
          expect(await readFile(`${dataDir}.lock`, "utf8")).to.equal(String(process.pid));
          const second = await openDatabase({ dataDir }).then(
            (other) => other.close(),
            (e: unknown) => e,
          );
          expect(second, "a second open in the same process").to.be.instanceOf(StoreLockedError);
          await db.close();
          expect(existsSync(`${dataDir}.lock`), "released on close").to.equal(false);
        } finally {
          holder.kill("SIGKILL");
          await rm(dir, { recursive: true, force: true });
        }
      });

    if (store === "postgres")
      it("admits one writer per store: a second indexer on the same Postgres stops with one line", async function () {
        const first = await open();
        const second = await open();
        try {
          await first.lockWriter();
          const error = await second.lockWriter().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).to.be.instanceOf(StoreLockedError);
          expect((error as Error).message).to.match(/^another indexer is writing to postgres:\/\/.*: stop it first/);
        } finally {
          await first.close();
          await second.close();
        }
        const third = await open();
        await third.lockWriter(); // released with the first's connection
        await third.close();
      });

    it("stops on a reorg deeper than its window with one line naming the resync command", async function () {
      const db = await resetDatabase();
      try {
        const indexer = indexerFor(db, c, { reorgDepth: 64 });
        await c.provider.send("anvil_mine", ["0x46"]);
        await indexer.catchUp();
        await reorg(c.chain.url, 65, c.f.admin.address, c.f.stranger.address);
        const error = await indexer.catchUp().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(DeepReorgError);
        expect((error as Error).message).to.match(
          /^reorg deeper than 64 blocks below block \d+: .*Resync: npx hardhat service resync --network localhost$/,
        );
        expect((error as Error).message).to.not.include("\n");
      } finally {
        await db.close();
      }
    });
  });
}
