// PGlite on a worker thread of its own (pglite-worker.mjs), spoken to by messages: the same
// queries, transactions and errors as in-thread, without holding the service's event loop while
// a statement runs (about 1 ms for a one-row read, over a second for a batch of events).
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// database.ts's Queryable, spelled out here: that module imports this one.
type Row = Record<string, unknown>;
interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

type Request =
  | { op: "query"; sql: string; params?: unknown[]; tx?: number }
  | { op: "exec"; sql: string }
  | { op: "begin" }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "close" };

interface SerializedError {
  name: string;
  message: string;
  [field: string]: unknown;
}

type Reply = { id: number; result: unknown; error?: undefined } | { id: number; error: SerializedError };

/** An error of the store, with Postgres' fields (code, detail, constraint, …) as PGlite gave them. */
export class StoreError extends Error {
  code?: string;
  constructor(serialized: SerializedError) {
    super(serialized.message);
    Object.assign(this, serialized);
  }
}

export interface PgliteThread extends Queryable {
  exec(sql: string): Promise<void>;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// An initialised, empty cluster (PGlite's dumpDataDir), from which a new store starts instead of
// running initdb: kept in memory once made, and in the project's node_modules/.cache for the next
// process, keyed by PGlite's version (a cluster is only good for the build that made it).
// The package exports no package.json: it sits one folder above the entry point (dist/).
const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(
      path.join(path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")), "..", "package.json"),
      "utf8",
    ),
  ) as { version: string }
).version;
/** Where the copy is kept between processes (exported for the test that damages it). */
export const CLUSTER_TEMPLATE_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../node_modules/.cache/intentkit",
  `pglite-${PGLITE_VERSION}-cluster.tar`,
);
let clusterTemplate: Promise<ArrayBuffer | undefined> | undefined;

function template(): Promise<ArrayBuffer | undefined> {
  clusterTemplate ??= readFile(CLUSTER_TEMPLATE_FILE).then(
    (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    () => undefined,
  );
  return clusterTemplate;
}

/** Keeps the copy a worker made; a failure to write it costs the next process an initdb, no more. */
async function keepTemplate(copy: ArrayBuffer): Promise<void> {
  clusterTemplate = Promise.resolve(copy);
  try {
    await mkdir(path.dirname(CLUSTER_TEMPLATE_FILE), { recursive: true });
    const partial = `${CLUSTER_TEMPLATE_FILE}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(copy));
    await rename(partial, CLUSTER_TEMPLATE_FILE); // whole or absent, whoever reads it
  } catch {
    // read-only or missing node_modules: initdb next time
  }
}

/** Starts the thread and opens `dataDir` in it (memory when omitted). */
export async function startPgliteThread(dataDir: string | undefined): Promise<PgliteThread> {
  const copy = await template();
  if (copy === undefined) return start(dataDir, undefined);
  try {
    return await start(dataDir, copy);
  } catch {
    // A copy PGlite cannot load (damaged, or made by another build): drop it, run initdb.
    clusterTemplate = Promise.resolve(undefined);
    await rm(CLUSTER_TEMPLATE_FILE, { force: true });
    return start(dataDir, undefined);
  }
}

async function start(dataDir: string | undefined, template: ArrayBuffer | undefined): Promise<PgliteThread> {
  // Plain JavaScript: none of the parent's flags (a TypeScript loader, --input-type, …) applies.
  const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
    workerData: { dataDir, template },
    execArgv: [],
  });
  const waiting = new Map<number, PromiseWithResolvers<unknown>>();
  let nextId = 1;
  let exited: Error | undefined;
  // Referenced only while a request waits: an idle store keeps no process alive, a busy one does.
  worker.unref();
  const opened = Promise.withResolvers<void>();
  worker.once("message", (message: { ready: boolean; template?: ArrayBuffer; error?: SerializedError }) => {
    if (message.template !== undefined) void keepTemplate(message.template);
    if (message.ready) opened.resolve();
    else opened.reject(new StoreError(message.error!));
    worker.on("message", (reply: Reply) => {
      const request = waiting.get(reply.id);
      if (request === undefined) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) worker.unref();
      if (reply.error !== undefined) request.reject(new StoreError(reply.error));
      else request.resolve(reply.result);
    });
  });
  const fail = (error: Error) => {
    exited = error;
    opened.reject(error);
    for (const request of waiting.values()) request.reject(error);
    waiting.clear();
  };
  worker.on("error", (error) => fail(new Error(`the embedded store's thread failed: ${error.message}`)));
  worker.on("exit", (code) => fail(new Error(`the embedded store's thread has stopped (exit code ${code})`)));

  const request = <T>(message: Request): Promise<T> => {
    if (exited !== undefined) return Promise.reject(exited);
    const id = nextId++;
    const reply = Promise.withResolvers<unknown>();
    if (waiting.size === 0) worker.ref();
    waiting.set(id, reply);
    worker.postMessage({ ...message, id });
    return reply.promise as Promise<T>;
  };

  try {
    worker.ref();
    await opened.promise;
  } catch (error) {
    await worker.terminate();
    throw error;
  } finally {
    worker.unref();
  }

  const queryIn =
    (tx?: number) =>
    <T extends Row>(sql: string, params?: unknown[]) =>
      request<T[]>({ op: "query", sql, params, tx });
  return {
    query: queryIn(),
    exec: async (sql) => {
      await request({ op: "exec", sql });
    },
    transaction: async (work) => {
      const tx = await request<number>({ op: "begin" });
      let result;
      try {
        result = await work({ query: queryIn(tx) });
      } catch (error) {
        await request({ op: "end", tx, commit: false }).catch(() => {});
        throw error;
      }
      await request({ op: "end", tx, commit: true });
      return result;
    },
    close: async () => {
      if (exited === undefined) await request({ op: "close" });
      await worker.terminate();
    },
  };
}
