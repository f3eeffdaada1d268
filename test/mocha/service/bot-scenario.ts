// The solver bots' scenario, shared by the fast suite (in-process bots, a few intents) and the
// e2e one (bots in processes of their own, 200 intents, kill -9): a system on a real anvil, a
// JSON-RPC proxy that drops and rate-limits the bots' requests, claim-mode intents submitted on
// the chain and signed intents left in a folder, and what the chain says afterwards.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Interface, type JsonRpcProvider } from "ethers";

import { type FaultPlan, type FaultProxy, startFaultProxy } from "../../../scripts/lib/fault-proxy.js";
import { type BotSettings, type RunningBot, startBot } from "../../../service/bots/run.js";
import { type Rules, parseRules } from "../../../service/bots/rules.js";
import { INTERFACES } from "../../../service/indexer/events.js";
import { E18, MAX_UINT256 } from "../fixtures.js";
import { type ChainWithSystem, chainWithSystem } from "./harness.js";

export const FAULTS: FaultPlan = { dropShare: 0.2, tooManyShare: 0.1, maxDelayMs: 10, seed: 17 };
/** The tests' time scale: backoff from 50 ms (1 s by default), a 429's Retry-After capped at 100 ms. */
export const FAST_RETRY = { attempts: 5, baseMs: 50, maxRetryAfterMs: 100 };

export interface Scenario {
  c: ChainWithSystem;
  proxy: FaultProxy;
  signedDir: string;
  rules: Rules;
  /** Ids of the claim-mode intents, and of the signed ones (their EIP-712 digests). */
  claimIds: string[];
  signedIds: string[];
  /** Settings of a bot acting as `account` through the proxy. */
  settings(kind: "solver" | "keeper", account: HardhatEthersSigner, extra?: Partial<BotSettings>): BotSettings;
  stop(): Promise<void>;
}

export async function startScenario(options: { claimMode: number; signed: number }): Promise<Scenario> {
  const c = await chainWithSystem();
  const { f } = c;
  const proxy = await startFaultProxy(c.chain.url, { ...FAULTS, dropShare: 0, tooManyShare: 0 });
  const signedDir = await mkdtemp(path.join(tmpdir(), "intentkit-signed-"));
  try {
    // Room for the run: the user is exempt from the submission limits, the solvers' claim limits
    // are wide, and a claim has five minutes.
    await (await f.verifier.connect(f.admin).setRateLimitExempt(f.user.address, true)).wait();
    await (await f.registry.connect(f.admin).setClaimRateLimit(100_000, 60)).wait();
    await (await f.registry.connect(f.admin).setMaxActiveClaims(64)).wait();
    const [maxTtl] = await f.verifier.timings();
    await (await f.verifier.connect(f.admin).setTimings(maxTtl, 300)).wait();

    const claimIds: string[] = [];
    const now = await f.latest();
    let nonce = await f.verifier.nextNonce(f.user.address);
    for (let i = 0; i < options.claimMode; i++) {
      const intent =
        i % 2 === 0
          ? await f.transferIntent({ nonce, expiry: now + 1_800n })
          : await f.swapIntent({ nonce, expiry: now + 1_800n });
      nonce++;
      claimIds.push((await f.verifier.hashIntent(intent)).toLowerCase());
      await (await f.verifier.connect(f.user).submit(intent)).wait();
    }

    // The signed intents come from a user of their own: their nonces are a sequence of their own.
    const signer = f.stranger;
    for (const token of [f.weth, f.usdc]) {
      await (await token.mint(signer.address, 1_000_000n * E18)).wait();
      await (await token.connect(signer).approve(f.verifierAddress, MAX_UINT256)).wait();
    }
    const signedIds: string[] = [];
    for (let i = 0; i < options.signed; i++) {
      const intent = await f.swapIntent({ user: signer.address, nonce: BigInt(i), expiry: now + 1_800n });
      const id = (await f.verifier.hashIntent(intent)).toLowerCase();
      signedIds.push(id);
      const file = {
        chainId: Number(f.chainId),
        verifier: f.verifierAddress,
        id,
        intent: { ...intent, nonce: intent.nonce.toString(), expiry: intent.expiry.toString() },
        signature: await f.sign(signer, intent),
      };
      await writeFile(path.join(signedDir, `${String(i).padStart(6, "0")}.json`), JSON.stringify(file));
    }
    const rules = parseRules({ signedIntents: signedDir }, {});
    return {
      c,
      proxy,
      signedDir,
      rules,
      claimIds,
      signedIds,
      settings: (kind, account, extra = {}) => ({
        kind,
        rpcUrl: proxy.url,
        chainId: Number(f.chainId),
        verifier: f.verifierAddress,
        registry: f.registryAddress,
        fromBlock: c.startBlock,
        account: { nodeAccount: account.address },
        rules: kind === "solver" ? rules : undefined,
        retry: FAST_RETRY,
        roundMs: 100,
        monitorPort: 0,
        ...extra,
      }),
      stop: async () => {
        await proxy.stop();
        await c.stop();
        await rm(signedDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await proxy.stop();
    await c.stop();
    await rm(signedDir, { recursive: true, force: true });
    throw error;
  }
}

const VERIFIER = INTERFACES.IntentVerifier;
const REGISTRY = INTERFACES.SolverRegistry;

export interface Outcome {
  /** Claim-mode intents not Completed. */
  notCompleted: string[];
  /** Signed intents with no IntentFilled. */
  notFilled: string[];
  /** Completions after the intent's claim deadline or expiry (none can be: the chain refuses them). */
  claimsPerIntent: Map<string, number>;
  claimFailures: number;
  slashes: number;
  /** Settlements by solver: claim-mode completions and fills. */
  bySolver: Map<string, { completed: number; filled: number }>;
}

/** What the chain's logs say about the scenario's intents. */
export async function outcome(s: Scenario, provider: JsonRpcProvider = s.c.provider): Promise<Outcome> {
  const { f } = s.c;
  const logs = await provider.getLogs({ fromBlock: s.c.startBlock, toBlock: "latest" });
  const claimsPerIntent = new Map<string, number>();
  const bySolver = new Map<string, { completed: number; filled: number }>();
  const completed = new Set<string>();
  const filled = new Set<string>();
  let claimFailures = 0;
  let slashes = 0;
  const tally = (solver: string) => {
    const key = solver.toLowerCase();
    if (!bySolver.has(key)) bySolver.set(key, { completed: 0, filled: 0 });
    return bySolver.get(key)!;
  };
  for (const log of logs) {
    const iface: Interface | undefined =
      log.address === f.verifierAddress ? VERIFIER : log.address === f.registryAddress ? REGISTRY : undefined;
    const parsed = iface?.parseLog(log);
    if (parsed == null) continue;
    const id = String(parsed.args[0]).toLowerCase();
    if (parsed.name === "IntentClaimed") claimsPerIntent.set(id, (claimsPerIntent.get(id) ?? 0) + 1);
    if (parsed.name === "IntentCompleted") {
      completed.add(id);
      tally(parsed.args[2]).completed++;
    }
    if (parsed.name === "IntentFilled") {
      filled.add(id);
      tally(parsed.args[2]).filled++;
    }
    if (parsed.name === "ClaimFailed") claimFailures++;
    if (parsed.name === "SolverSlashed") slashes++;
  }
  return {
    notCompleted: s.claimIds.filter((id) => !completed.has(id)),
    notFilled: s.signedIds.filter((id) => !filled.has(id)),
    claimsPerIntent,
    claimFailures,
    slashes,
    bySolver,
  };
}

/** Polls until every intent of the scenario settled, or `timeoutMs` passed; returns the last outcome. */
export async function settled(s: Scenario, timeoutMs: number): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await outcome(s);
    if ((now.notCompleted.length === 0 && now.notFilled.length === 0) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A keeper and two competing solvers, in this process, on the scenario's proxy. */
export async function startCompetingBots(s: Scenario): Promise<RunningBot[]> {
  const { f } = s.c;
  const bots: RunningBot[] = [];
  for (const [kind, account] of [
    ["keeper", f.relayer],
    ["solver", f.solver],
    ["solver", f.otherSolver],
  ] as const) {
    bots.push(await startBot(s.settings(kind, account)));
  }
  return bots;
}

/** intent_errors_total of all `bots`, summed by error code. */
export async function errorTotals(bots: RunningBot[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const bot of bots) {
    const metric = await bot.metrics.registry.getSingleMetric("intent_errors_total")!.get();
    for (const { labels, value } of metric.values) {
      const code = String(labels.error_code);
      totals.set(code, (totals.get(code) ?? 0) + value);
    }
  }
  return totals;
}
