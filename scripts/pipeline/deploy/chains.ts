// The local nodes a run spawns to stand in for the testnet and mainnet, recorded in
// <run>/chains.json. They outlive the pipeline process on purpose: a run that crashed or was
// interrupted is resumed against the same chains, so nothing deployed before the crash is lost or
// deployed again. The engine stops them when a run finishes with every stage passed; after a
// failure they stay up for `--resume` (and `npx hardhat pipeline --stop-chains` stops them).
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { processAlive, rpc, startLocalChain, stopProcess, type ChainEngine } from "../../lib/local-chain.js";

export type ChainRole = "testnet" | "mainnet";

export interface RunChain {
  role: ChainRole;
  engine: ChainEngine;
  url: string;
  chainId: number;
  pid: number;
  startedAt: string;
  /** The node's own output, in the run folder. */
  logFile: string;
}

export const CHAINS_FILE = "chains.json";

type ChainsRecord = Partial<Record<ChainRole, RunChain>>;

async function readChains(runDir: string): Promise<ChainsRecord> {
  const file = path.join(runDir, CHAINS_FILE);
  if (!existsSync(file)) return {};
  return JSON.parse(await readFile(file, "utf8")) as ChainsRecord;
}

async function writeChains(runDir: string, chains: ChainsRecord): Promise<void> {
  const file = path.join(runDir, CHAINS_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(chains, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

async function answers(chain: RunChain): Promise<boolean> {
  if (!processAlive(chain.pid)) return false;
  try {
    return Number(await rpc<string>(chain.url, "eth_chainId")) === chain.chainId;
  } catch {
    return false;
  }
}

/** The run's chain for `role` if it was started and still answers. */
export async function liveRunChain(runDir: string, role: ChainRole): Promise<RunChain | undefined> {
  const chain = (await readChains(runDir))[role];
  return chain !== undefined && (await answers(chain)) ? chain : undefined;
}

/**
 * The run's chain for `role`: the one already running for this run, or a new one. `restarted`
 * says a chain was recorded for this run but is gone (its deployments with it).
 */
export async function runChain(
  runDir: string,
  role: ChainRole,
  engine: ChainEngine,
  chainId: number,
): Promise<RunChain & { reused: boolean; restarted: boolean }> {
  const chains = await readChains(runDir);
  const recorded = chains[role];
  if (recorded !== undefined && (await answers(recorded))) return { ...recorded, reused: true, restarted: false };
  const logFile = path.join(runDir, `chain-${role}.log`);
  const started = await startLocalChain({ engine, chainId, detached: true, logFile });
  const chain: RunChain = {
    role,
    engine,
    url: started.url,
    chainId,
    pid: started.pid,
    startedAt: new Date().toISOString(),
    logFile: path.basename(logFile),
  };
  await writeChains(runDir, { ...(await readChains(runDir)), [role]: chain });
  return { ...chain, reused: false, restarted: recorded !== undefined };
}

/** Stops every chain this run started; returns what it stopped. */
export async function stopRunChains(runDir: string): Promise<RunChain[]> {
  const chains = await readChains(runDir);
  const stopped: RunChain[] = [];
  for (const chain of Object.values(chains)) {
    // The pid alone could by now be another process's: only a node that still answers as ours goes.
    if (chain === undefined || !(await answers(chain))) continue;
    await stopProcess(chain.pid);
    stopped.push(chain);
  }
  return stopped;
}
