import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { type Database, StoreLockedError, openDatabase } from "../../../service/store/database.js";
import { CLUSTER_TEMPLATE_FILE } from "../../../service/store/pglite-thread.js";
import { type Postgres, postgresAvailable, startPostgres } from "./harness.js";

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string },
  );

for (const store of ["pglite", "postgres"] as const) {
  describe(`service store connection on ${store}`, function () {
    this.timeout(60_000);
    let pg: Postgres | undefined;
    let db: Database;

    before(async function () {
      if (store === "postgres") {
        if (!postgresAvailable()) throw new Error("Postgres 15 is not installed: run node scripts/system-packages.mjs");
        pg = await startPostgres();
      }
    });
    beforeEach(async function () {
      db = await openDatabase({ url: pg?.url });
      await db.exec("DROP TABLE IF EXISTS t; CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)");
    });
    afterEach(async function () {
      await db.close();
    });
    after(async function () {
      await pg?.stop();
    });

    it("rejects a failing statement with Postgres' own code, and a failed transaction leaves nothing behind", async function () {
      await db.query("INSERT INTO t VALUES (1, 'kept')");
      const duplicate = await rejection(db.query("INSERT INTO t VALUES (1, 'again')"));
      expect(duplicate?.code, String(duplicate)).to.equal("23505");
      expect(duplicate?.message).to.match(/duplicate key value violates unique constraint "t_pkey"/);

      const failed = await rejection(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (2, 'rolled back')");
          await tx.query("INSERT INTO t VALUES (1, 'duplicate')");
        }),
      );
      expect(failed?.code).to.equal("23505");
      const thrown = await rejection(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (3, 'rolled back')");
          throw new Error("the caller's own failure");
        }),
      );
      expect(thrown?.message).to.equal("the caller's own failure");
      expect(await db.query("SELECT id, note FROM t ORDER BY id")).to.deep.equal([{ id: 1, note: "kept" }]);
    });

    it("returns what a transaction's work returns, and a read beside it sees all of it or none", async function () {
      const written = db.transaction(async (tx) => {
        for (let id = 1; id <= 20; id++) await tx.query("INSERT INTO t VALUES ($1, $2)", [id, `row ${id}`]);
        return "done";
      });
      const seen = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM t");
      expect(await written).to.equal("done");
      expect([0, 20]).to.include(seen[0]!.n);
      expect(await db.query("SELECT count(*)::int AS n FROM t")).to.deep.equal([{ n: 20 }]);
    });

    if (store === "pglite")
      it("runs statements on a thread of its own: the event loop turns while a long one runs", async function () {
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 5);
        const started = performance.now();
        try {
          await db.query("SELECT count(*) FROM generate_series(1, 1000000) AS g(n) WHERE n % 7 = 0");
        } finally {
          clearInterval(ticker);
        }
        const elapsed = performance.now() - started;
        expect(elapsed, "the statement should take long enough to tell").to.be.greaterThan(100);
        // In-thread, the loop would not turn at all until the statement ended.
        expect(ticks).to.be.greaterThan(elapsed / 5 / 4);
      });

    if (store === "pglite")
      it("starts a new store from the kept cluster copy, and from initdb when that copy is damaged", async function () {
        // A new process, so that no copy is held in memory: it reads the file.
        const openInChild = () =>
          promisify(execFile)(
            process.execPath,
            [
              "--import",
              "tsx",
              "--input-type=module",
              "-e",
              `import { openDatabase } from ${JSON.stringify(path.resolve("service/store/database.ts"))};
               const db = await openDatabase();
               console.log(JSON.stringify(await db.query("SELECT count(*)::int AS n FROM pg_database")));
               await db.close();`,
            ],
            { cwd: path.resolve("."), timeout: 60_000 },
          );
        const kept = await readFile(CLUSTER_TEMPLATE_FILE).catch(() => undefined);
        try {
          await writeFile(CLUSTER_TEMPLATE_FILE, "not a tar archive");
          const damaged = await openInChild();
          expect(JSON.parse(damaged.stdout.trim())).to.deep.equal([{ n: 3 }]); // postgres, template0, template1
          const remade = await readFile(CLUSTER_TEMPLATE_FILE);
          expect(remade.length, "a whole copy again").to.be.greaterThan(1_000_000);
          const again = await openInChild();
          expect(JSON.parse(again.stdout.trim())).to.deep.equal([{ n: 3 }]);
        } finally {
          if (kept !== undefined) await writeFile(CLUSTER_TEMPLATE_FILE, kept);
        }
      });

    if (store === "postgres")
      it("stops writing once the connection holding the writer lock dropped: the lock went with it", async function () {
        await db.lockWriter();
        const admin = await openDatabase({ url: pg!.url });
        try {
          await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()",
          );
          // The client learns of it when the server closes the socket.
          const deadline = Date.now() + 5_000;
          let error: (Error & { code?: string }) | undefined;
          while (error === undefined && Date.now() < deadline) {
            error = await rejection(db.transaction(async (tx) => tx.query("INSERT INTO t VALUES (9, 'x')")));
            if (error === undefined) await admin.query("DELETE FROM t");
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          expect(error).to.be.instanceOf(StoreLockedError);
          expect(error?.message).to.match(/^lost the writer lock of postgres:\/\/.*: another indexer may now write/);
        } finally {
          await admin.close();
        }
      });
  });
}
