// Wires a bot from its settings: transport, signer, sender, chain access, source, alerts, metrics
// and its /metrics and /health server. The tasks and the tests start bots through here alone.
import { getAddress } from "ethers";
import type { FastifyInstance } from "fastify";

import { CriticalAlerts } from "./alerts.js";
import { BotChain } from "./chain.js";
import { Keeper } from "./keeper.js";
import { type BotMetrics, createBotMetrics, startMonitor } from "./monitor.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
import { botRpc } from "./rpc.js";
import type { Rules } from "./rules.js";
import { TxSender, type TxSigner, keySigner, nodeSigner } from "./sender.js";
import { SolverBot } from "./solver.js";
import { chainSource, serviceSource } from "./sources.js";

export interface BotSettings {
  kind: "solver" | "keeper";
  rpcUrl: string;
  chainId: number;
  verifier: string;
  registry: string;
  /** The deployment's first block: where the chain source starts reading. */
  fromBlock: number;
  /** The account's key, or the address of an account the node holds unlocked. */
  account: { privateKey: string } | { nodeAccount: string };
  serviceUrl?: string;
  rules?: Rules;
  webhookUrl?: string;
  alertIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The /metrics and /health port on 127.0.0.1 (0: any free one; undefined: none). */
  monitorPort?: number;
  roundMs?: number;
  rpcTimeoutMs?: number;
  stuckAfterMs?: number;
  log?: (line: string) => void;
}

export interface RunningBot {
  account: string;
  metrics: BotMetrics;
  alerts: CriticalAlerts;
  sender: TxSender;
  monitorUrl?: string;
  /** Settles when the bot's loop ends (after stop()). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Thrown before anything runs when the account cannot sign (after the MISSING_KEY alert). */
export class MissingKeyError extends Error {}

export async function startBot(settings: BotSettings): Promise<RunningBot> {
  const log = settings.log ?? (() => {});
  const rpc = botRpc(settings.rpcUrl, { timeoutMs: settings.rpcTimeoutMs });
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...settings.retry };
  const signer: TxSigner =
    "privateKey" in settings.account
      ? keySigner(settings.account.privateKey)
      : nodeSigner(rpc, getAddress(settings.account.nodeAccount));
  const account = signer.address;
  const metrics = createBotMetrics(settings.kind);
  const alerts = new CriticalAlerts({
    webhookUrl: settings.webhookUrl,
    intervalMs: settings.alertIntervalMs,
    bot: settings.kind,
    account,
    log,
  });
  const onFailure = (failure: { code: string }, type: string) => metrics.error(type, failure.code);
  const sender = new TxSender({
    rpc,
    signer,
    chainId: settings.chainId,
    retry,
    onFailure: (failure, _step, intentType) => onFailure(failure, intentType),
    stuckAfterMs: settings.stuckAfterMs,
    onStuck: (nonce, hash, waitedMs) =>
      void alerts.raise(
        "STUCK_NONCE",
        `transaction ${hash} (nonce ${nonce}) has no receipt after ${Math.round(waitedMs / 1000)} s`,
        {
          nonce,
          hash,
        },
      ),
  });
  const chain = new BotChain({
    rpc,
    sender,
    verifier: settings.verifier,
    registry: settings.registry,
    retry,
    onFailure,
  });
  if ("nodeAccount" in settings.account) {
    const accounts = await chain.read("read accounts", () => rpc.call<string[]>("eth_accounts"));
    if (!accounts.some((a) => getAddress(a) === account)) {
      await alerts.raise("MISSING_KEY", `the node holds no key for ${account}, and none was given`);
      await rpc.close();
      throw new MissingKeyError(
        `no key for ${account}: the node does not hold it unlocked and the network config has none`,
      );
    }
  }
  const read = <T>(step: string, operation: () => Promise<T>) => chain.read(step, operation);
  const source =
    settings.serviceUrl === undefined
      ? chainSource({ rpc, verifier: settings.verifier, fromBlock: settings.fromBlock, read })
      : serviceSource({ serviceUrl: settings.serviceUrl, rpc, verifier: settings.verifier, read, log });
  const bot =
    settings.kind === "solver"
      ? new SolverBot({
          chain,
          sender,
          source,
          rules: settings.rules!,
          alerts,
          metrics,
          roundMs: settings.roundMs,
          log,
        })
      : new Keeper({ chain, sender, source, metrics, roundMs: settings.roundMs, log });
  let monitor: FastifyInstance | undefined;
  if (settings.monitorPort !== undefined) {
    const staleAfterMs = Math.max(30_000, (settings.roundMs ?? 1_000) * 20);
    monitor = await startMonitor({
      port: settings.monitorPort,
      metrics,
      health: () => {
        const last = bot.lastProgressAt;
        return {
          status: last !== undefined && Date.now() - last < staleAfterMs ? "ok" : "stale",
          bot: settings.kind,
          account,
          nextNonce: sender.nonce ?? null,
          lastProgressAt: last === undefined ? null : new Date(last).toISOString(),
          rounds: bot.rounds,
          ...(bot instanceof SolverBot
            ? { activeClaims: bot.activeClaims }
            : { failed: bot.failed, expired: bot.expired }),
          alerts: alerts.raised.length,
        };
      },
    });
  }
  const address = monitor?.server.address();
  const done = bot.run();
  let stopped: Promise<void> | undefined;
  return {
    account,
    metrics,
    alerts,
    sender,
    monitorUrl:
      address !== undefined && address !== null && typeof address === "object"
        ? `http://127.0.0.1:${address.port}`
        : undefined,
    done,
    stop: () =>
      (stopped ??= (async () => {
        bot.stop();
        await done.catch(() => {});
        await source.close();
        await monitor?.close();
        await rpc.close();
      })()),
  };
}
