// The embedded store's own thread. PGlite is Postgres compiled to WebAssembly: a statement holds
// the thread it runs on until it ends. Here, that is not the service's thread, so the indexer
// decodes the next batch and the API answers while a batch is being stored. pglite-thread.ts is
// the other end; plain JavaScript, so that a worker starts without a TypeScript loader.
import { existsSync } from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

import { PGlite } from "@electric-sql/pglite";

if (parentPort === null) throw new Error("pglite-worker.mjs runs as a worker thread of pglite-thread.ts");
const port = parentPort;

/** Fields of Postgres' errors that callers read (the SQLSTATE first of all). */
const ERROR_FIELDS = ["code", "detail", "hint", "position", "severity", "schema", "table", "column", "constraint"];

function serialize(error) {
  const out = { name: error?.name ?? "Error", message: String(error?.message ?? error) };
  for (const field of ERROR_FIELDS) if (error?.[field] !== undefined) out[field] = error[field];
  return out;
}

/** Ends a transaction that the caller rolled back; not an error of the store. */
const ROLLBACK = Symbol("rollback");

let db;
try {
  const { dataDir, template } = workerData;
  // A new store starts from a copy of an initialised cluster when the process has one: initdb
  // is most of the cost of opening a new store (seconds on a busy 2-core machine, against about
  // one to load the copy). The first new store of a process runs initdb and hands its copy back.
  const fresh = dataDir === undefined || !existsSync(path.join(dataDir, "PG_VERSION"));
  db = await PGlite.create(dataDir, fresh && template !== undefined ? { loadDataDir: new Blob([template]) } : {});
  const copy = fresh && template === undefined ? await (await db.dumpDataDir("none")).arrayBuffer() : undefined;
  port.postMessage({ ready: true, template: copy }, copy === undefined ? [] : [copy]);
} catch (error) {
  port.postMessage({ ready: false, error: serialize(error) });
  port.close();
}

/** Open transactions by the id of the request that began them. */
const open = new Map();

async function handle(message) {
  switch (message.op) {
    case "query": {
      const runner = message.tx === undefined ? db : open.get(message.tx)?.tx;
      if (runner === undefined) throw new Error(`transaction ${message.tx} has already ended`);
      return (await runner.query(message.sql, message.params)).rows;
    }
    case "exec":
      await db.exec(message.sql);
      return null;
    case "begin":
      // Answers once PGlite has begun the transaction (its mutex taken); the work runs in the
      // other thread, statement by statement, until "end".
      return await new Promise((begun, failed) => {
        const entry = {};
        entry.done = db
          .transaction(
            (tx) =>
              new Promise((commit, rollBack) => {
                Object.assign(entry, { tx, commit, rollBack: () => rollBack(ROLLBACK) });
                open.set(message.id, entry);
                begun(message.id);
              }),
          )
          .catch((error) => {
            if (error !== ROLLBACK) throw error;
          });
        entry.done.catch(failed);
      });
    case "end": {
      const entry = open.get(message.tx);
      if (entry === undefined) throw new Error(`transaction ${message.tx} has already ended`);
      open.delete(message.tx);
      if (message.commit) entry.commit();
      else entry.rollBack();
      await entry.done;
      return null;
    }
    case "close":
      await db.close();
      return null;
    default:
      throw new Error(`unknown request ${message.op}`);
  }
}

port.on("message", (message) => {
  handle(message).then(
    (result) => {
      port.postMessage({ id: message.id, result });
      if (message.op === "close") port.close();
    },
    (error) => port.postMessage({ id: message.id, error: serialize(error) }),
  );
});
