// A solver bot for one bonded account. Each round it asks its source what is open, fulfils the
// claims it holds (reading who holds them from the chain, so a restart after a crash resumes
// them), claims what its rules accept up to its claim quota and fulfils it at once, and fills the
// signed intents of its folder in one transaction each. The chain decides every race: a claim or a
// fill another bot won reverts in simulation and is let go, never sent.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { getAddress } from "ethers";

import { type Intent, decodeParams, intentTypeName } from "../../lib/domain/index.js";
import type { CriticalAlerts } from "./alerts.js";
import { type BotChain, STATUS, intentTuple } from "./chain.js";
import type { BotMetrics } from "./monitor.js";
import { StepFailed } from "./retry.js";
import { runRounds } from "./rounds.js";
import { type Decision, type Market, type Rules, decide } from "./rules.js";
import type { TxSender } from "./sender.js";
import type { IntentSource, OpenIntent } from "./sources.js";

export interface SolverBotOptions {
  chain: BotChain;
  sender: TxSender;
  source: IntentSource;
  rules: Rules;
  alerts: CriticalAlerts;
  metrics: BotMetrics;
  /** Pause between rounds (default 500 ms). */
  roundMs?: number;
  /** A claim is fulfilled only with at least this long left before its deadline (default 10 s). */
  fulfilMarginSeconds?: number;
  log?: (line: string) => void;
}

interface Claimed {
  id: string;
  intent: Intent;
  token: string;
  amountOut: bigint;
  claimDeadline: bigint;
  claimGas: bigint;
}

const MAX_UINT256 = (1n << 256n) - 1n;

export class SolverBot {
  readonly #o: SolverBotOptions;
  readonly #account: string;
  /** Claims this bot holds, by intent id: what they commit of its inventory. */
  readonly #claims = new Map<string, Claimed>();
  /** Intents another solver holds, by id (until the source reports them Pending again). */
  readonly #othersClaims = new Set<string>();
  /** Signed-intent files already settled or refused for good. */
  readonly #doneFiles = new Set<string>();
  readonly #decimals = new Map<string, number>();
  readonly #balances = new Map<string, bigint>();
  #approved = new Set<string>();
  #stopping = false;
  #lastProgressAt: number | undefined;
  #lastSlashed: bigint | undefined;
  #active = true;
  #maxClaims = 8;
  rounds = 0;

  constructor(options: SolverBotOptions) {
    this.#o = options;
    this.#account = getAddress(options.sender.address);
  }

  get account(): string {
    return this.#account;
  }

  get lastProgressAt(): number | undefined {
    return this.#lastProgressAt;
  }

  get activeClaims(): number {
    return this.#claims.size;
  }

  stop(): void {
    this.#stopping = true;
    this.#o.sender.stop();
  }

  /** Runs rounds until stop(); a round's failure is counted and logged, and the next one runs. */
  async run(): Promise<void> {
    await this.#o.sender.start();
    this.#o.log?.(
      `solver ${this.#account}: next nonce ${this.#o.sender.nonce}, learning intents from ${this.#o.source.describe}`,
    );
    await runRounds({
      round: () => this.round(),
      stopping: () => this.#stopping,
      pauseMs: this.#o.roundMs ?? 500,
      log: this.#o.log,
    });
  }

  async round(): Promise<void> {
    const { chain, source, metrics } = this.#o;
    await this.#checkStanding();
    await source.refresh();
    const open = source.open();
    metrics.setGauge("known_intents", open.length);
    const head = await chain.head();
    this.#balances.clear();
    // Claims first: a claim this bot holds has a deadline, and a slash if it passes.
    for (const entry of open) {
      if (this.#stopping) return;
      if (entry.status === "Executing" && !this.#othersClaims.has(entry.id)) await this.#resumeClaim(entry);
      if (entry.status === "Pending") this.#othersClaims.delete(entry.id);
    }
    for (const claim of [...this.#claims.values()]) {
      if (this.#stopping) return;
      await this.#fulfil(claim, head.now);
    }
    if (this.#active) {
      const pending = open
        .filter((entry) => entry.status === "Pending")
        .sort((a, b) => Number(a.intent.expiry - b.intent.expiry));
      for (const entry of pending) {
        if (this.#stopping || this.#claims.size >= this.#maxClaims) break;
        const decision = decide(entry.intent, this.#o.rules, await this.#market(head, [entry.intent]));
        if (!decision.fill) continue;
        const claim = await this.#claim(entry, decision);
        if (claim !== undefined) await this.#fulfil(claim, head.now);
      }
      if (this.#o.rules.signedIntents !== undefined) await this.#fillSigned(head);
    }
    metrics.setGauge("active_claims", this.#claims.size);
    metrics.setGauge("nonce", this.#o.sender.nonce ?? 0);
    this.rounds++;
    this.#progress();
  }

  /** A round ended or an action landed: what /health's freshness reads (a busy round is alive). */
  #progress(): void {
    this.#lastProgressAt = Date.now();
  }

  /** The bond, the status and slashes, from the registry: what the critical alerts watch. */
  async #checkStanding(): Promise<void> {
    const { chain, alerts, metrics } = this.#o;
    if (this.rounds % 10 !== 0) return;
    const [info] = await chain.registryCall("getSolver", [this.#account]);
    const [minBond] = await chain.registryCall("bondParameters");
    const [maxActive] = await chain.registryCall("maxActiveClaims").catch(() => [8n]);
    this.#maxClaims = Math.min(Number(maxActive), this.#o.rules.maxActiveClaims ?? 8);
    const bond = BigInt(info.bond);
    metrics.setGauge("bond", Number(bond / 10n ** 18n));
    this.#active = Number(info.status) === 1;
    if (bond < BigInt(minBond)) {
      void alerts.raise(
        "BOND_BELOW_MINIMUM",
        `bond ${bond} is below the minimum ${minBond}: top it up (solver topup)`,
        {
          bond: bond.toString(),
          minBond: BigInt(minBond).toString(),
        },
      );
    }
    const failed = BigInt(info.failed);
    if (this.#lastSlashed !== undefined && failed > this.#lastSlashed) {
      void alerts.raise("SLASHED", `${failed - this.#lastSlashed} claim(s) of this solver lapsed and were slashed`, {
        failed: failed.toString(),
      });
    }
    this.#lastSlashed = failed;
  }

  async #market(head: { now: bigint; baseFeeWei: bigint }, intents: Intent[]): Promise<Market> {
    const tokens = new Set<string>();
    for (const intent of intents) {
      try {
        const p = decodeParams(intent.intentType, intent.params);
        for (const token of [p.tokenIn, p.tokenOut]) if (token !== undefined) tokens.add(getAddress(token));
      } catch {
        // a decision refuses it
      }
    }
    for (const token of tokens) {
      if (!this.#decimals.has(token))
        this.#decimals.set(token, Number((await this.#o.chain.tokenCall(token, "decimals"))[0]));
      if (!this.#balances.has(token)) {
        this.#balances.set(token, BigInt((await this.#o.chain.tokenCall(token, "balanceOf", [this.#account]))[0]));
      }
    }
    const committed = (token: string) =>
      [...this.#claims.values()].filter((c) => c.token === token).reduce((sum, c) => sum + c.amountOut, 0n);
    return {
      now: head.now,
      baseFeeWei: head.baseFeeWei,
      decimals: (token) => this.#decimals.get(token) ?? 18,
      available: (token) => {
        const balance = this.#balances.get(token) ?? 0n;
        const cap = this.#o.rules.inventory.get(token);
        return (cap === undefined || cap > balance ? balance : cap) - committed(token);
      },
    };
  }

  /** An intent the source reports Executing: this bot's claim (after a restart), or another's. */
  async #resumeClaim(entry: OpenIntent): Promise<void> {
    if (this.#claims.has(entry.id)) return;
    const type = typeName(entry.intent);
    const record = await this.#o.chain.intent(entry.id, type);
    if (record.status !== STATUS.Executing) return;
    if (getAddress(record.solver) !== this.#account) {
      this.#othersClaims.add(entry.id);
      return;
    }
    const amountOut = amountOutOf(entry.intent);
    this.#o.log?.(`resuming claim of ${entry.id} (deadline ${record.claimDeadline})`);
    this.#claims.set(entry.id, {
      id: entry.id,
      intent: entry.intent,
      token: amountOut.token,
      amountOut: amountOut.amount,
      claimDeadline: record.claimDeadline,
      claimGas: 0n,
    });
  }

  async #claim(entry: OpenIntent, decision: Decision & { fill: true }): Promise<Claimed | undefined> {
    const { chain, metrics } = this.#o;
    const type = typeName(entry.intent);
    await this.#approve(decision.token, decision.amountOut);
    try {
      const mined = await chain.sendVerifier(`claim ${entry.id}`, "claim", [entry.id], type);
      metrics.action("claim", "ok");
      this.#progress();
      this.#o.log?.(`claimed ${entry.id} (${type}) in ${mined.hash}`);
      // The deadline only words a warning: a claim is fulfilled at once whatever it reads.
      const record = await chain.intent(entry.id, type).catch(() => undefined);
      const claim: Claimed = {
        id: entry.id,
        intent: entry.intent,
        token: decision.token,
        amountOut: decision.amountOut,
        claimDeadline: record?.claimDeadline ?? 0n,
        claimGas: mined.gasUsed,
      };
      this.#claims.set(entry.id, claim);
      return claim;
    } catch (error) {
      metrics.action("claim", "failed");
      this.#failed(error, type);
      // Sent or not, the chain knows whether this bot holds the claim: the next round reads it.
      if (error instanceof StepFailed && error.failure.code.startsWith("REVERT_")) this.#othersClaims.add(entry.id);
      return undefined;
    }
  }

  async #fulfil(claim: Claimed, now: bigint): Promise<void> {
    const { chain, metrics } = this.#o;
    const type = typeName(claim.intent);
    if (claim.claimDeadline > 0n && claim.claimDeadline - now < BigInt(this.#o.fulfilMarginSeconds ?? 10)) {
      this.#o.log?.(`claim of ${claim.id} is too close to its deadline to fulfil; the keeper will fail it`);
    }
    const fulfillment = [claim.amountOut, claim.claimGas, 0n, []];
    try {
      const mined = await chain.sendVerifier(
        `fulfill ${claim.id}`,
        "fulfill",
        [intentTuple(claim.intent), fulfillment],
        type,
      );
      metrics.action("fulfill", "ok");
      this.#progress();
      this.#o.log?.(`fulfilled ${claim.id} in ${mined.hash}`);
      this.#claims.delete(claim.id);
    } catch (error) {
      metrics.action("fulfill", "failed");
      this.#failed(error, type);
      // Whatever happened, the record says whether the claim is still this bot's to fulfil.
      const record = await chain.intent(claim.id, type).catch(() => undefined);
      if (record !== undefined && (record.status !== STATUS.Executing || getAddress(record.solver) !== this.#account)) {
        this.#claims.delete(claim.id);
      }
    }
  }

  /** Signed intents from the rules' folder: each filled in one transaction, if still fillable. */
  async #fillSigned(head: { now: bigint; baseFeeWei: bigint }): Promise<void> {
    const { chain, metrics, rules } = this.#o;
    const folder = rules.signedIntents!;
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
    for (const name of names) {
      if (this.#stopping || this.#doneFiles.has(name)) continue;
      const signed = await readSigned(path.join(folder, name));
      if (signed === undefined || getAddress(signed.verifier) !== getAddress(chain.options.verifier)) {
        this.#doneFiles.add(name);
        continue;
      }
      const { intent, signature } = signed;
      const type = typeName(intent);
      const [next] = await chain.verifierCall("nextNonce", [intent.user], type);
      if (BigInt(next) !== intent.nonce) {
        if (BigInt(next) > intent.nonce) this.#doneFiles.add(name); // settled (by whoever) or skipped
        continue;
      }
      if (intent.expiry <= head.now) {
        this.#doneFiles.add(name);
        continue;
      }
      const decision = decide(intent, rules, await this.#market(head, [intent]));
      if (!decision.fill) continue;
      await this.#approve(decision.token, decision.amountOut);
      try {
        const mined = await chain.sendVerifier(
          `fill ${signed.id}`,
          "fill",
          [intentTuple(intent), signature, decision.amountOut],
          type,
        );
        metrics.action("fill", "ok");
        this.#progress();
        this.#o.log?.(`filled signed intent ${signed.id} (${name}) in ${mined.hash}`);
        this.#doneFiles.add(name);
      } catch (error) {
        metrics.action("fill", "failed");
        this.#failed(error, type);
        if (error instanceof StepFailed && error.failure.code.startsWith("REVERT_")) this.#doneFiles.add(name);
      }
    }
  }

  /** An unlimited approval of `token` to the verifier, once (the steady state a fill assumes). */
  async #approve(token: string, amount: bigint): Promise<void> {
    if (amount === 0n || this.#approved.has(token)) return;
    const { chain, metrics } = this.#o;
    const [allowance] = await chain.tokenCall(token, "allowance", [this.#account, chain.options.verifier]);
    if (BigInt(allowance) < MAX_UINT256 / 2n) {
      await chain.sendToken(`approve ${token}`, token, "approve", [chain.options.verifier, MAX_UINT256]);
      metrics.action("approve", "ok");
    }
    this.#approved.add(token);
  }

  #failed(error: unknown, type: string): void {
    if (!(error instanceof StepFailed)) {
      this.#o.metrics.error(type, this.#o.chain.classify(error).code);
      throw error;
    }
    this.#o.log?.(error.message);
  }
}

function typeName(intent: Intent): string {
  return intentTypeName(intent.intentType) ?? String(intent.intentType);
}

function amountOutOf(intent: Intent): { token: string; amount: bigint } {
  const p = decodeParams(intent.intentType, intent.params);
  return p.tokenOut === undefined
    ? { token: getAddress(p.token!), amount: 0n }
    : { token: getAddress(p.tokenOut), amount: p.minAmountOut! };
}

interface SignedIntent {
  id: string;
  verifier: string;
  intent: Intent;
  signature: string;
}

/** A file written by `intent sign --out`; undefined when it is not one. */
async function readSigned(file: string): Promise<SignedIntent | undefined> {
  try {
    const raw = JSON.parse(await readFile(file, "utf8"));
    const i = raw.intent;
    return {
      id: String(raw.id),
      verifier: String(raw.verifier),
      signature: String(raw.signature),
      intent: {
        user: getAddress(i.user),
        intentType: Number(i.intentType),
        nonce: BigInt(i.nonce),
        expiry: BigInt(i.expiry),
        params: String(i.params),
      },
    };
  } catch {
    return undefined;
  }
}
