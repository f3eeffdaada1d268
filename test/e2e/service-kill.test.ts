// The indexer killed with SIGKILL: twenty times at random points of a backfill, and once inside a
// rollback's transaction. Each time the next start resumes from the store's checkpoint, and in the
// end the store equals a fresh index of the canonical chain, with every log exactly once.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import { expect } from "chai";

import { openDatabase } from "../../service/store/database.js";
import {
  type ChainWithSystem,
  type Postgres,
  activity,
  chainWithSystem,
  dumpStore,
  freshStore,
  indexerFor,
  reorg,
  startPostgres,
} from "../mocha/service/harness.js";

const WORKER = path.join(import.meta.dirname, "service-worker.ts");

/** Starts the worker; resolves when it prints `line`, or when it exits first (with its code). */
function startWorker(configFile: string, line: string) {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, configFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const reached = new Promise<"reached" | "exited">((resolve) => {
    lines.on("line", (text) => text === line && resolve("reached"));
    void exited.then(() => resolve("exited"));
  });
  return {
    reached,
    exited,
    stderr: () => stderr,
    caughtUp: new Promise<boolean>((resolve) => {
      lines.on("line", (text) => text === "caught up" && resolve(true));
      void exited.then(() => resolve(false));
    }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

for (const store of ["pglite", "postgres"] as const) {
  describe(`service indexer killed with SIGKILL (${store})`, function () {
    this.timeout(300_000);
    let c: ChainWithSystem;
    let pg: Postgres | undefined;
    let dir: string;
    let configFile: string;
    let config: Record<string, unknown>;

    before(async function () {
      dir = await mkdtemp(path.join(tmpdir(), "intentkit-kill-"));
      // Each step within its own limit, so that a hook that hangs (seen once in a fresh-clone .ci/run on a slow
      // machine) names the step instead of running into the suite's timeout.
      const none = () => "";
      if (store === "postgres") pg = await within("starting Postgres", 60_000, startPostgres(), none);
      c = await within("starting anvil and deploying", 60_000, chainWithSystem(), none);
      // A long backfill: the activity's intent and solver events, then 2,000 guardian actions.
      await within(
        "the intent and solver activity",
        90_000,
        (async () => {
          for (let round = 0; round < 3; round++) await activity(c.f, c.provider);
        })(),
        none,
      );
      // 2,000 guardian transactions, 100 to a JSON-RPC batch and one batch at a time: sent as one
      // batch of 2,000 they took 1.5 s alone, but twice stalled past 90 and 300 s in a fresh-clone
      // .ci/run while other e2e workers loaded the machine (cause not found).
      const nonce = Number(await c.provider.send("eth_getTransactionCount", [c.f.admin.address, "pending"]));
      const send = async (first: number) => {
        const batch = Array.from({ length: 100 }, (_, k) => ({
          jsonrpc: "2.0",
          id: k,
          method: "eth_sendTransaction",
          params: [
            {
              from: c.f.admin.address,
              to: c.f.verifierAddress,
              gas: "0x20000",
              nonce: `0x${(nonce + first + k).toString(16)}`,
              data: c.f.verifier.interface.encodeFunctionData("setUserBlocked", [
                `0x${(first + k + 1).toString(16).padStart(40, "0")}`,
                true,
              ]),
            },
          ],
        }));
        const response = await fetch(c.chain.url, {
          method: "POST",
          body: JSON.stringify(batch),
          headers: { "content-type": "application/json" },
        });
        return (await response.json()) as { error?: { message: string } }[];
      };
      const answers = await within(
        "2,000 guardian transactions",
        90_000,
        (async () => {
          const all: { error?: { message: string } }[] = [];
          for (let first = 0; first < 2_000; first += 100) all.push(...(await send(first)));
          return all;
        })(),
        none,
      );
      expect(answers.filter((answer) => answer.error !== undefined)).to.deep.equal([]);
      config = {
        rpcUrl: c.chain.url,
        ...(pg === undefined ? { dataDir: path.join(dir, "store") } : { databaseUrl: pg.url }),
        contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
        startBlock: c.startBlock,
        batchSize: 1,
      };
      configFile = path.join(dir, "worker.json");
      await writeFile(configFile, JSON.stringify(config));
    });
    after(async function () {
      await c?.stop();
      await pg?.stop();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    /** The store the workers wrote, dumped, against a fresh in-process index of the chain. */
    async function expectEqualsFreshIndex(): Promise<void> {
      const db = await openDatabase({ url: pg?.url, dataDir: pg === undefined ? path.join(dir, "store") : undefined });
      const fresh = await freshStore();
      try {
        await indexerFor(fresh, c, { batchSize: 500 }).catchUp();
        const [mine, theirs] = [await dumpStore(db), await dumpStore(fresh)];
        const logs = (await c.provider.send("eth_getLogs", [
          {
            address: [c.f.verifierAddress, c.f.registryAddress],
            fromBlock: `0x${c.startBlock.toString(16)}`,
            toBlock: "latest",
          },
        ])) as unknown[];
        expect(mine.chain_events.length, "every log once: none missed, none repeated").to.equal(logs.length);
        expect(mine).to.deep.equal(theirs);
      } finally {
        await fresh.close();
        await db.close();
      }
    }

    it("resumes after twenty kills at random points of a backfill without missing or repeating an event", async function () {
      let interrupted = 0;
      for (let kill = 0; kill < 20; kill++) {
        const worker = startWorker(configFile, "indexing");
        expect(await worker.reached, worker.stderr()).to.equal("reached");
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 130)));
        const finished = await Promise.race([
          worker.caughtUp,
          new Promise<false>((resolve) => setTimeout(() => resolve(false), 0)),
        ]);
        await worker.kill();
        if (!finished) interrupted++;
      }
      expect(interrupted, "kills that landed before the backfill ended").to.equal(20);
      const last = startWorker(configFile, "caught up");
      expect(await last.reached, last.stderr()).to.equal("reached");
      expect(await last.exited).to.equal(0);
      await expectEqualsFreshIndex();
    });

    /**
     * Where a stage is stuck, should it be: once hung for 300 s in a fresh clone's .ci/run on
     * Postgres (not reproduced since, in eight runs under two busy loops). Fails the stage after
     * `ms` with the worker's stderr and, on Postgres, the server's sessions.
     */
    async function within<T>(stage: string, ms: number, work: Promise<T>, stderr: () => string): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(async () => {
          let sessions = "";
          try {
            if (pg !== undefined) {
              const db = await openDatabase({ url: pg.url });
              sessions = JSON.stringify(
                await db.query(
                  "SELECT pid, state, wait_event_type, wait_event, left(query, 80) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                ),
              );
              await db.close();
            }
          } catch (error) {
            sessions = `(not read: ${(error as Error).message})`;
          } finally {
            reject(
              new Error(
                `${stage}: stuck for ${ms / 1000} s. Worker stderr: ${stderr().slice(-1500)} Sessions: ${sessions}`,
              ),
            );
          }
        }, ms);
      });
      try {
        return await Promise.race([work, stuck]);
      } finally {
        clearTimeout(timer);
      }
    }

    it("rolls back again after a kill inside the rollback's transaction", async function () {
      await activity(c.f, c.provider);
      const indexed = startWorker(configFile, "caught up");
      expect(await within("catching up", 60_000, indexed.reached, indexed.stderr), indexed.stderr()).to.equal(
        "reached",
      );
      await indexed.exited;
      await reorg(c.chain.url, 5, c.f.admin.address, c.f.stranger.address);
      await writeFile(configFile, JSON.stringify({ ...config, stallRollback: true }));
      const stalled = startWorker(configFile, "rolling back");
      expect(await within("reaching the rollback", 60_000, stalled.reached, stalled.stderr), stalled.stderr()).to.equal(
        "reached",
      );
      await stalled.kill();
      await writeFile(configFile, JSON.stringify(config));
      const resumed = startWorker(configFile, "caught up");
      expect(await within("rolling back again", 60_000, resumed.reached, resumed.stderr), resumed.stderr()).to.equal(
        "reached",
      );
      expect(await resumed.exited).to.equal(0);
      await within("comparing with a fresh index", 60_000, expectEqualsFreshIndex(), () => "");
    });
  });
}
