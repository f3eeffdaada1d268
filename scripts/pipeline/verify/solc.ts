// The compiler the Sourcify-style check recompiles with: the soljson build of the npm `solc`
// package (the same one hardhat.config.ts builds with; no compiler is downloaded), behind
// lib-sourcify's ISolidityCompiler interface. Compilations run in worker threads (soljson blocks
// its thread for the whole run), at most one per core, and the same input is compiled once per
// compiler instance: verifying three mock tokens of one contract, or the same deployment twice,
// recompiles nothing.
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

import type { ISolidityCompiler } from "./lib-sourcify.js";

const WORKER = fileURLToPath(new URL("./solc-worker.mjs", import.meta.url));

interface Job {
  id: number;
  input: string;
  resolve(output: string): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<string>;
  busy: Job | undefined;
}

/** solc-js's version string without the build suffix: "0.8.30+commit.73712a01". */
const longVersion = (version: string) => version.replace(/^v/, "").replace(/\.Emscripten\.clang$/, "");

export class SolcJsCompiler implements ISolidityCompiler {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly outputs = new Map<string, Promise<string>>();
  private nextId = 0;
  private closed = false;
  /** Compilations actually run (cache misses), for reports and tests. */
  compilations = 0;
  /** Wall time spent in compilations, summed over workers. */
  compileMs = 0;

  constructor(private readonly maxWorkers = Math.max(1, Math.min(2, availableParallelism()))) {}

  /** The version of the bundled soljson ("0.8.30+commit.73712a01"). */
  async version(): Promise<string> {
    try {
      return longVersion(await this.slot(0).ready);
    } catch (error) {
      throw new Error(`could not start solc-js (the npm solc package): ${(error as Error).message}`);
    }
  }

  async compile(version: string, solcJsonInput: unknown): Promise<any> {
    const available = await this.version();
    if (longVersion(version) !== available) {
      throw new Error(
        `solc ${version} is not available offline: the npm solc package is ${available}; install solc@${longVersion(version).split("+")[0]} to verify this build`,
      );
    }
    const input = JSON.stringify(solcJsonInput);
    const key = createHash("sha256").update(input).digest("hex");
    let output = this.outputs.get(key);
    if (output === undefined) {
      output = this.run(input);
      output.catch(() => this.outputs.delete(key));
      this.outputs.set(key, output);
    }
    const parsed = JSON.parse(await output) as { errors?: Array<{ severity: string; formattedMessage?: string }> };
    const errors = (parsed.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length > 0) {
      // lib-sourcify reports `errors` of a thrown compiler error as the compiler's errors.
      throw Object.assign(new Error(errors[0].formattedMessage ?? "solc reported an error"), { errors });
    }
    return parsed;
  }

  /** Stops the workers. The compiler can be used again afterwards (workers restart). */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const job of this.queue.splice(0)) job.reject(new Error("the compiler was closed"));
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.closed = false;
  }

  private run(input: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      this.queue.push({
        id: this.nextId++,
        input,
        resolve: (output) => {
          this.compilations++;
          this.compileMs += Date.now() - started;
          resolve(output);
        },
        reject,
      });
      this.dispatch();
    });
  }

  private slot(index: number): Slot {
    while (this.slots.length <= index) {
      const worker = new Worker(WORKER);
      const slot: Slot = {
        worker,
        busy: undefined,
        ready: new Promise((resolve, reject) => {
          worker.once("message", (message: { version: string }) => {
            // An idle worker does not keep the process alive; a busy one does (see dispatch).
            if (slot.busy === undefined) worker.unref();
            resolve(message.version);
          });
          worker.once("error", reject);
        }),
      };
      slot.ready.catch(() => undefined);
      worker.on("message", (message: { id?: number; output?: string; error?: string }) => {
        const job = slot.busy;
        if (message.id === undefined || job === undefined || message.id !== job.id) return;
        slot.busy = undefined;
        worker.unref();
        if (message.error !== undefined) job.reject(new Error(`solc-js failed: ${message.error}`));
        else job.resolve(message.output!);
        this.dispatch();
      });
      worker.on("error", (error) => {
        slot.busy?.reject(new Error(`the solc worker crashed: ${error.message}`));
        slot.busy = undefined;
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        this.dispatch();
      });
      this.slots.push(slot);
    }
    return this.slots[index];
  }

  private dispatch(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined);
      if (slot === undefined && this.slots.length < this.maxWorkers) slot = this.slot(this.slots.length);
      if (slot === undefined) return;
      const job = this.queue.shift()!;
      slot.busy = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, input: job.input });
    }
  }
}
