// What `solver run` and `keeper run` share: the node's URL, the acting account's key (the
// network's configured keys, the keystore's included, or an account the node holds unlocked),
// the bot started from the deployment record, progress lines, and Ctrl-C.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { HDNodeWallet, Wallet, getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CriticalAlerts } from "../../service/bots/alerts.js";
import { MissingKeyError, type BotSettings, startBot } from "../../service/bots/run.js";
import { RulesError, parseRules, type Rules } from "../../service/bots/rules.js";
import { openDeployment, type DeploymentContext } from "./context.js";
import { UserError } from "./errors.js";
import { checkFrom, checkRange } from "./ops.js";
import { print } from "./output.js";

export interface BotArgs {
  from: string;
  deployment: string;
  serviceUrl: string;
  webhookUrl: string;
  alertInterval: number;
  port: number;
  retryBase: number;
  rules?: string;
}

function checkUrl(option: string, value: string): string | undefined {
  if (value === "") return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {
    // worded below
  }
  throw new UserError(`--${option}: "${value}" is not an http(s) URL`);
}

/** The private key of `address` among the network's configured accounts; undefined for "remote". */
async function configuredKey(hre: HardhatRuntimeEnvironment, networkName: string, address: string) {
  const config = hre.config.networks[networkName];
  if (config?.type !== "http" || config.accounts === "remote") return undefined;
  const keys: string[] = [];
  if (Array.isArray(config.accounts)) {
    for (const variable of config.accounts) keys.push(await variable.get());
  } else {
    const { mnemonic, passphrase, path: basePath, initialIndex, count } = config.accounts;
    const phrase = await mnemonic.get();
    const secret = await passphrase.get();
    for (let i = initialIndex; i < initialIndex + count; i++) {
      keys.push(HDNodeWallet.fromPhrase(phrase, secret, `${basePath}/${i}`).privateKey);
    }
  }
  return keys.find((key) => new Wallet(key).address === getAddress(address));
}

async function readRules(file: string | undefined, ctx: DeploymentContext): Promise<Rules> {
  let raw: unknown = {};
  if (file !== undefined && file !== "") {
    try {
      raw = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new UserError(`--rules ${file}: cannot read it as JSON (${(error as Error).message.split("\n")[0]})`);
    }
  }
  try {
    const rules = parseRules(raw, ctx.record.mockTokens ?? {});
    if (rules.signedIntents !== undefined && file !== undefined && file !== "") {
      rules.signedIntents = path.resolve(path.dirname(file), rules.signedIntents);
    }
    return rules;
  } catch (error) {
    if (error instanceof RulesError) throw new UserError(`--rules ${file}: ${error.problems.join("; ")}`);
    throw error;
  }
}

export async function runBot(kind: "solver" | "keeper", args: BotArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkFrom(args.from);
  const serviceUrl = checkUrl("service-url", args.serviceUrl);
  const webhookUrl = checkUrl("webhook-url", args.webhookUrl);
  const port = Number(checkRange("port", BigInt(args.port), 0n, 65535n));
  const retryBase = Number(checkRange("retry-base", BigInt(args.retryBase), 1n, 60_000n, " ms"));
  const alertInterval = Number(checkRange("alert-interval", BigInt(args.alertInterval), 1n, 86_400n, " s"));
  const ctx = await openDeployment(hre, args.deployment);
  const config = hre.config.networks[ctx.networkName];
  if (config?.type !== "http") {
    throw new UserError(
      `${kind} run needs a node to talk to: pick an HTTP network (e.g. --network localhost after \`npx hardhat chain start\`)`,
    );
  }
  const rpcUrl = await config.url.get();
  let signerAddress: string;
  try {
    signerAddress = (await ctx.signer(args.from)).address;
  } catch (error) {
    if (error instanceof UserError) {
      const alerts = new CriticalAlerts({ webhookUrl, bot: kind, account: args.from || "(first account)" });
      await alerts.raise("MISSING_KEY", error.message);
    }
    throw error;
  }
  const privateKey = await configuredKey(hre, ctx.networkName, signerAddress);
  const rules = kind === "solver" ? await readRules(args.rules, ctx) : undefined;
  const { record } = ctx;
  const settings: BotSettings = {
    kind,
    rpcUrl,
    chainId: ctx.chainId,
    verifier: record.contracts.IntentVerifier.address,
    registry: record.contracts.SolverRegistry.address,
    fromBlock: Math.min(...Object.values(record.contracts).map((contract) => contract.blockNumber)),
    account: privateKey === undefined ? { nodeAccount: signerAddress } : { privateKey },
    serviceUrl,
    rules,
    webhookUrl,
    alertIntervalMs: alertInterval * 1_000,
    retry: { baseMs: retryBase },
    monitorPort: port,
    log: (line) => print(line),
  };
  let bot;
  try {
    bot = await startBot(settings);
  } catch (error) {
    if (error instanceof MissingKeyError) throw new UserError(error.message);
    if (/listen|EADDRINUSE/.test((error as Error).message)) {
      throw new UserError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}; pick another --port`);
    }
    throw error;
  }
  print(
    `${kind} ${bot.account} for deployment "${record.deploymentId}" on network "${ctx.networkName}": /metrics and /health at ${bot.monitorUrl}` +
      `${webhookUrl === undefined ? "; no --webhook-url: critical alerts are only printed" : `; critical alerts to ${webhookUrl}`}. Ctrl-C stops it.`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
    void bot.done.then(() => resolve());
  });
  await bot.stop();
  print(`${kind} stopped (next nonce ${bot.sender.nonce})`);
}
