// The deployment manifest a delivery stage writes (testnet/manifest.json, mainnet/manifest.json in
// the run folder): which build went where, in which transactions and blocks, with which bytecode
// and constructor arguments. The integration suite reads it to find the system, `verify` to check
// every contract against the artifacts, and the mainnet gates to know what the testnet ran.
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { DeploymentRecord } from "../../../deploy/record.js";
import { PipelineError } from "../errors.js";

export const MANIFEST_FILE = "manifest.json";

export interface ManifestContract {
  /** The artifact's contract name ("IntentVerifier", "MockERC20"). */
  contractName: string;
  /** Its source, e.g. "contracts/IntentVerifier.sol" (what verifiers compile). */
  sourceName: string;
  address: string;
  /** The creating transaction, its block, and the constructor arguments as deployed. */
  transactionHash: string;
  blockNumber: number;
  /** ABI-ready constructor arguments (bigints as decimal strings). */
  constructorArgs: unknown[];
  /** keccak256 of the runtime code on chain when the manifest was written. */
  runtimeBytecodeHash: string;
  /** keccak256 of the artifact's creation bytecode (without constructor arguments). */
  creationBytecodeHash: string;
  /** True for the contracts that make up the build (deploy/deployable.ts); mocks are false. */
  deployable: boolean;
}

export interface DeploymentManifest {
  /** Which delivery stage deployed it. */
  stage: "testnet" | "mainnet";
  buildHash: string;
  runId: string;
  commit: string;
  /** The Hardhat network the stage used (for spawned local chains, the network it overrode). */
  network: string;
  chainId: number;
  /** Where the chain answers. For a configured network, the URL from the Hardhat config. */
  rpcUrl: string;
  /** True when the chain is a node the pipeline spawned on 127.0.0.1. */
  local: boolean;
  /** Ignition deployment id: the journal is in ignition/deployments/<deploymentId>/. */
  deploymentId: string;
  deployer: string;
  parametersFile: string;
  /** The parameters as deployed (amounts as decimal strings). */
  parameters: unknown;
  /**
   * The mainnet rollout deploys with these in place of the parameters' rate limits, paused, and
   * raises the limits to `parameters` when it promotes the system.
   */
  probation?: { startPaused: true; rateLimits: unknown };
  /** Keyed by the Ignition future's name: "SolverRegistry", "IntentVerifier", "MockWETH", ... */
  contracts: Record<string, ManifestContract>;
  /** Every transaction of the deployment, in the order Ignition confirmed them. */
  transactions: ManifestTransaction[];
  /** Gas the deployment used in all, the basis of the mainnet's cost estimate. */
  gasUsed: string;
  recordedAt: string;
}

export interface ManifestTransaction {
  futureId: string;
  hash: string;
  blockNumber: number;
  gasUsed: string;
}

/** The confirmed transactions in Ignition's journal, in order (gas filled in by `gasUsedOf`). */
export async function transactionsFromJournal(
  deploymentDir: string,
  gasUsedOf: (hash: string) => Promise<bigint>,
): Promise<ManifestTransaction[]> {
  const journal = await readFile(path.join(deploymentDir, "journal.jsonl"), "utf8");
  const transactions: ManifestTransaction[] = [];
  for (const line of journal.split("\n")) {
    if (!line.includes('"TRANSACTION_CONFIRM"')) continue;
    const entry = JSON.parse(line) as { futureId: string; hash: string; receipt: { blockNumber: number } };
    transactions.push({
      futureId: entry.futureId,
      hash: entry.hash,
      blockNumber: entry.receipt.blockNumber,
      gasUsed: String(await gasUsedOf(entry.hash)),
    });
  }
  return transactions;
}

export async function readManifest(file: string): Promise<DeploymentManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new PipelineError(`no deployment manifest at ${file}; run the stage that deploys first`);
  }
  try {
    return JSON.parse(text) as DeploymentManifest;
  } catch (error) {
    throw new PipelineError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** The constructor arguments of each deployed future, from Ignition's journal (bigints decoded). */
export async function constructorArgsFromJournal(deploymentDir: string): Promise<Record<string, unknown[]>> {
  const journal = await readFile(path.join(deploymentDir, "journal.jsonl"), "utf8");
  const args: Record<string, unknown[]> = {};
  for (const line of journal.split("\n")) {
    if (!line.includes('"DEPLOYMENT_EXECUTION_STATE_INITIALIZE"')) continue;
    const entry = JSON.parse(line) as { futureId: string; constructorArgs: unknown[] };
    args[entry.futureId] = entry.constructorArgs.map(decodeJournalValue);
  }
  return args;
}

function decodeJournalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeJournalValue);
  if (value !== null && typeof value === "object") {
    const v = value as { _kind?: string; value?: string };
    if (v._kind === "bigint") return String(v.value);
    return Object.fromEntries(Object.entries(value).map(([k, inner]) => [k, decodeJournalValue(inner)]));
  }
  return value;
}

export type ManifestExtras = Pick<DeploymentManifest, "stage" | "buildHash" | "runId" | "commit" | "rpcUrl" | "local">;

/** A manifest from system:deploy's record and Ignition's journal. */
export async function manifestFromRecord(
  record: DeploymentRecord,
  deploymentDir: string,
  sourceNames: Record<string, string>,
  deployable: ReadonlySet<string>,
  extras: ManifestExtras,
  transactions: DeploymentManifest["transactions"],
): Promise<DeploymentManifest> {
  const args = await constructorArgsFromJournal(deploymentDir);
  const contracts: Record<string, ManifestContract> = {};
  for (const [name, c] of Object.entries(record.contracts)) {
    contracts[name] = {
      contractName: c.contractName,
      sourceName: sourceNames[c.contractName] ?? "",
      address: c.address,
      transactionHash: c.transactionHash,
      blockNumber: c.blockNumber,
      constructorArgs: args[c.futureId] ?? [],
      runtimeBytecodeHash: c.runtimeBytecodeHash,
      creationBytecodeHash: c.creationBytecodeHash,
      deployable: deployable.has(c.contractName),
    };
  }
  return {
    ...extras,
    network: record.network,
    chainId: record.chainId,
    deploymentId: record.deploymentId,
    deployer: record.deployer,
    parametersFile: record.parametersFile,
    parameters: record.parameters,
    contracts,
    transactions,
    gasUsed: String(transactions.reduce((sum, t) => sum + BigInt(t.gasUsed), 0n)),
    recordedAt: record.recordedAt,
  };
}
