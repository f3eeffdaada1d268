// Where a delivery stage deploys: a Hardhat network named by --testnet / --mainnet, or, by
// default, a node the pipeline spawns for the run (the rehearsal), reached through the Hardhat
// network that `rehearsal.<role>.network` names with its URL overridden.
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import { defaultDeliveryNetwork, type DeliveryNetwork } from "../config.js";
import { PipelineError, StageFailure } from "../errors.js";
import type { StageContext } from "../stage.js";
import { runChain, type ChainRole, type RunChain } from "./chains.js";

export interface Target {
  role: ChainRole;
  /** The Hardhat network whose settings (accounts, gas) the stage uses. */
  network: string;
  /** A node this run spawned on 127.0.0.1. */
  local: boolean;
  /** The chain id the target must answer with (the rehearsal's configured one, or the network's). */
  expectedChainId: number | undefined;
  /** Spawned chains only: its URL (real networks' URLs stay in the Hardhat config, unrecorded). */
  url: string | undefined;
  chain: (RunChain & { reused: boolean; restarted: boolean }) | undefined;
  settings: DeliveryNetwork;
  /** deploy/parameters/<network>.json unless the pipeline config names another file. */
  parametersFile: string;
}

export function networkSettings(ctx: StageContext, network: string): DeliveryNetwork {
  return ctx.config.networks[network] ?? defaultDeliveryNetwork();
}

/** The target of `role`, with the run's own node started (or found) for a rehearsal. */
export async function resolveTarget(ctx: StageContext, role: ChainRole): Promise<Target> {
  return attachChain(ctx, describeTarget(ctx, role));
}

/** The target of `role` as configured, touching no network and starting no node. */
export function describeTarget(ctx: StageContext, role: ChainRole): Target {
  const named = ctx.delivery[role];
  const network = named ?? ctx.config.rehearsal[role].network;
  const networkConfig = ctx.hre.config.networks[network];
  if (networkConfig === undefined) {
    const known = Object.keys(ctx.hre.config.networks).join(", ");
    throw new PipelineError(`--${role} ${network}: no such network in hardhat.config.ts (networks: ${known})`);
  }
  if (networkConfig.type !== "http") {
    throw new PipelineError(`--${role} ${network}: the ${role} must be a JSON-RPC network (type "http")`);
  }
  const settings = networkSettings(ctx, network);
  const parametersFile = path.join(
    ctx.root,
    settings.parameters ?? path.join("deploy", "parameters", `${network}.json`),
  );
  return {
    role,
    network,
    local: named === null,
    expectedChainId: named === null ? ctx.config.rehearsal[role].chainId : networkConfig.chainId,
    url: undefined,
    chain: undefined,
    settings,
    parametersFile,
  };
}

/** For a rehearsal: the run's node for the target's role, reused if it still runs. */
export async function attachChain(ctx: StageContext, target: Target): Promise<Target> {
  if (!target.local) return target;
  const { engine } = ctx.config.rehearsal;
  const chainId = target.expectedChainId as number;
  ctx.progress(`local ${target.role}: ${engine} on 127.0.0.1 (chain ${chainId})`);
  const chain = await runChain(ctx.runDir, target.role, engine, chainId);
  ctx.progress(`local ${target.role}: ${chain.reused ? "reusing" : "started"} ${chain.url} (pid ${chain.pid})`);
  return { ...target, url: chain.url, chain };
}

/** Connects to the target through Hardhat (its accounts, the keystore), checking the chain id. */
export async function connectTarget(
  ctx: StageContext,
  target: Target,
): Promise<{ connection: NetworkConnection; chainId: number }> {
  let connection: NetworkConnection;
  try {
    connection = await ctx.hre.network.create({
      network: target.network,
      ...(target.url !== undefined ? { override: { url: target.url } } : {}),
    });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    const variable = /Configuration Variable "(\w+)" not found/.exec(message)?.[1];
    if (variable !== undefined) {
      throw new StageFailure(
        `network "${target.network}" needs ${variable}: store it with \`npx hardhat keystore set ${variable}\``,
      );
    }
    throw new StageFailure(`cannot connect to network "${target.network}": ${message}`);
  }
  let chainId: number;
  try {
    chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  } catch (error) {
    await connection.close();
    throw new StageFailure(
      `network "${target.network}" does not answer (${(error as Error).message.split("\n")[0]}); check its URL`,
    );
  }
  if (target.expectedChainId !== undefined && chainId !== target.expectedChainId) {
    await connection.close();
    throw new StageFailure(
      `network "${target.network}" answers with chain id ${chainId}, but ${target.expectedChainId} was configured`,
    );
  }
  return { connection, chainId };
}

/** Ignition deployment ids: per run on spawned chains, per network and build on real ones. */
export function deploymentIdFor(ctx: StageContext, target: Target): string {
  return target.local
    ? `rehearsal-${ctx.summary.runId}-${target.role}`
    : `${target.network}-${ctx.buildHash.slice(2, 14)}`;
}
