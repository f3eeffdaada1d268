// The deployment record: what was deployed where, written next to Ignition's journal in
// ignition/deployments/<deployment-id>/intentkit.json once a deployment completes. Tasks read it
// to find the contracts; the pipeline reads it to know what to test and verify.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export const RECORD_FILE = "intentkit.json";

export interface DeployedContract {
  /** Ignition future id, e.g. "IntentKit#IntentVerifier". */
  futureId: string;
  contractName: string;
  address: string;
  /** The transaction that created it (for CREATE2, the factory call). */
  transactionHash: string;
  blockNumber: number;
  /** keccak256 of the runtime bytecode on chain when the record was written. */
  runtimeBytecodeHash: string;
  /** keccak256 of the artifact's creation bytecode (without constructor arguments). */
  creationBytecodeHash: string;
}

export interface DeploymentRecord {
  deploymentId: string;
  network: string;
  chainId: number;
  deployer: string;
  strategy: "basic" | "create2";
  /** The CREATE2 salt, when `strategy` is create2. */
  salt?: string;
  parametersFile: string;
  /** The bond token's address. */
  stakeToken: string;
  /** Mock tokens deployed on a local chain: symbol → address. */
  mockTokens: Record<string, string>;
  /** The parameters as parsed (amounts as decimal strings). */
  parameters: unknown;
  /** Every contract the deployment created, keyed by its future's name ("IntentVerifier", "MockWETH"). */
  contracts: Record<string, DeployedContract>;
  recordedAt: string;
}

export function ignitionDeploymentsDir(root: string): string {
  return path.join(root, "ignition", "deployments");
}

export function deploymentDir(root: string, deploymentId: string): string {
  return path.join(ignitionDeploymentsDir(root), deploymentId);
}

/** The deployment a task acts on: `--deployment`, else $INTENTKIT_DEPLOYMENT, else `chain-<chainId>`. */
export function resolveDeploymentId(given: string, chainId: number): string {
  if (given !== "") return given;
  return process.env.INTENTKIT_DEPLOYMENT || `chain-${chainId}`;
}

export async function readDeploymentRecord(dir: string): Promise<DeploymentRecord | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, RECORD_FILE), "utf8")) as DeploymentRecord;
  } catch {
    return undefined;
  }
}

export async function writeDeploymentRecord(dir: string, record: DeploymentRecord): Promise<string> {
  const file = path.join(dir, RECORD_FILE);
  const json = JSON.stringify(record, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
  await writeFile(file, `${json}\n`);
  return file;
}
