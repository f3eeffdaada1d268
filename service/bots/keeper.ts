// The keeper: ends what nobody else will. A claim whose deadline passed unfulfilled is failed
// (which slashes its solver and requeues or fails the intent), and a pending intent past its
// expiry is marked Expired. Anyone may do both; the contract refuses either one early, and the
// keeper reads the record and the chain's clock first, so it never sends one that would revert.
import { intentTypeName } from "../../lib/domain/index.js";
import { type BotChain, STATUS, intentTuple } from "./chain.js";
import type { BotMetrics } from "./monitor.js";
import { StepFailed } from "./retry.js";
import { runRounds } from "./rounds.js";
import type { TxSender } from "./sender.js";
import type { IntentSource } from "./sources.js";

export interface KeeperOptions {
  chain: BotChain;
  sender: TxSender;
  source: IntentSource;
  metrics: BotMetrics;
  roundMs?: number;
  /** Seconds past a deadline or an expiry before acting: the next block's time is at least this late. */
  graceSeconds?: number;
  log?: (line: string) => void;
}

export class Keeper {
  readonly #o: KeeperOptions;
  #stopping = false;
  #lastProgressAt: number | undefined;
  /** Claim deadlines read from the chain, so an unexpired claim is read once, not every round. */
  readonly #deadlines = new Map<string, bigint>();
  rounds = 0;
  failed = 0;
  expired = 0;

  constructor(options: KeeperOptions) {
    this.#o = options;
  }

  get lastProgressAt(): number | undefined {
    return this.#lastProgressAt;
  }

  stop(): void {
    this.#stopping = true;
    this.#o.sender.stop();
  }

  async run(): Promise<void> {
    await this.#o.sender.start();
    this.#o.log?.(
      `keeper ${this.#o.sender.address}: next nonce ${this.#o.sender.nonce}, watching ${this.#o.source.describe}`,
    );
    await runRounds({
      round: () => this.round(),
      stopping: () => this.#stopping,
      pauseMs: this.#o.roundMs ?? 1_000,
      log: this.#o.log,
    });
  }

  async round(): Promise<void> {
    const { chain, source, metrics } = this.#o;
    await source.refresh();
    const open = source.open();
    metrics.setGauge("known_intents", open.length);
    const { now } = await chain.head();
    const grace = BigInt(this.#o.graceSeconds ?? 1);
    for (const entry of open) {
      if (this.#stopping) return;
      const type = intentTypeName(entry.intent.intentType) ?? String(entry.intent.intentType);
      if (entry.status === "Pending") {
        this.#deadlines.delete(entry.id);
        if (entry.intent.expiry + grace > now) continue;
        const record = await chain.intent(entry.id, type);
        if (record.status !== STATUS.Pending) continue;
        await this.#act("expire", entry.id, () =>
          chain.sendVerifier(`expire ${entry.id}`, "expire", [intentTuple(entry.intent)], type),
        );
        continue;
      }
      let deadline = this.#deadlines.get(entry.id);
      if (deadline === undefined) {
        const record = await chain.intent(entry.id, type);
        if (record.status !== STATUS.Executing) continue;
        deadline = record.claimDeadline;
        this.#deadlines.set(entry.id, deadline);
      }
      if (deadline + grace > now) continue;
      const record = await chain.intent(entry.id, type);
      this.#deadlines.delete(entry.id);
      if (record.status !== STATUS.Executing || record.claimDeadline + grace > now) continue;
      await this.#act("fail", entry.id, () =>
        chain.sendVerifier(`fail ${entry.id}`, "fail", [intentTuple(entry.intent)], type),
      );
    }
    metrics.setGauge("nonce", this.#o.sender.nonce ?? 0);
    this.rounds++;
    this.#lastProgressAt = Date.now();
  }

  async #act(action: "fail" | "expire", id: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
      this.#o.metrics.action(action, "ok");
      this.#lastProgressAt = Date.now();
      if (action === "fail") this.failed++;
      else this.expired++;
      this.#o.log?.(`${action === "fail" ? "failed the lapsed claim of" : "expired"} ${id}`);
    } catch (error) {
      this.#o.metrics.action(action, "failed");
      if (!(error instanceof StepFailed)) throw error;
      this.#o.log?.(error.message);
    }
  }
}
