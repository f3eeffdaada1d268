// Deploys and wires a whole intentkit system on one network connection with the Ignition module,
// and writes the deployment record. Shared by `system:deploy` and the pipeline's delivery stages.
// Resumable: Ignition's journal in ignition/deployments/<id>/ lets a deployment that died midway
// continue without deploying any contract twice, and re-running a completed one sends nothing.
import { rm } from "node:fs/promises";

import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import {
  deploy,
  listTransactions,
  type DeploymentResult,
  type ExecutionEventListener,
} from "@nomicfoundation/ignition-core";
import { concat, getAddress, id, keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { UserError } from "../lib/domain/errors.js";
import type { DeploymentConfig } from "./config.js";
import { withGasMargin } from "./gas-margin.js";
import { MODULE_ID, buildIntentKitModule } from "./modules/IntentKit.js";
import { readDeploymentRecord, writeDeploymentRecord, type DeployedContract, type DeploymentRecord } from "./record.js";
import { recoverUnrecordedSends } from "./unrecorded-sends.js";

/** Chains whose state is thrown away: the only ones that may get mock tokens. */
export const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/**
 * The default CREATE2 salt for CreateX: the deployer's address, then 0x00, then a fixed tag. The
 * address makes the salt permissioned (only this deployer can use it, so nobody can squat our
 * addresses) and 0x00 turns off CreateX's per-chain salt, so addresses match on every chain.
 */
export function defaultCreate2Salt(deployer: string): string {
  return concat([deployer, "0x00", id("intentkit.v1").slice(0, 24)]);
}

export interface DeploySystemInput {
  hre: HardhatRuntimeEnvironment;
  connection: NetworkConnection;
  chainId: number;
  config: DeploymentConfig;
  /** As recorded: relative to the project root. */
  parametersFile: string;
  deploymentId: string;
  /** Ignition's journal folder; undefined on the embedded network, where nothing persists. */
  dir: string | undefined;
  /** Throw away an earlier journal and record first. */
  reset?: boolean;
  create2?: boolean;
  salt?: string;
  listener: ExecutionEventListener;
  /** Pause both contracts at the end (see the module's options). */
  startPaused?: boolean;
  /** Lines for the person deploying, beside Ignition's own events (a resumed run's repairs). */
  log?: (line: string) => void;
  /** Runs once the inputs are checked, before anything is sent (the task compiles here). */
  beforeDeploy?: () => Promise<void>;
}

export interface DeploySystemResult {
  record: DeploymentRecord;
  recordFile: string | undefined;
}

export async function deploySystem(input: DeploySystemInput): Promise<DeploySystemResult> {
  const { hre, connection, chainId, config, dir, deploymentId } = input;
  if (Object.keys(config.mockTokens).length > 0 && !LOCAL_CHAIN_IDS.has(chainId)) {
    throw new UserError(
      `${input.parametersFile} deploys mock tokens, which are for local chains only; name real token addresses for chain ${chainId}`,
    );
  }
  const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  if (accounts.length === 0) {
    throw new UserError(
      `network "${connection.networkName}" has no deployer account; set its key with \`npx hardhat keystore set INTENTKIT_DEPLOYER_KEY\``,
    );
  }
  const deployer = getAddress(accounts[0]);
  if (dir !== undefined) {
    if (input.reset) await rm(dir, { recursive: true, force: true });
    const previous = await readDeploymentRecord(dir);
    if (
      previous !== undefined &&
      (await connection.ethers.provider.getCode(previous.contracts.IntentVerifier.address)) === "0x"
    ) {
      throw new UserError(
        `deployment "${deploymentId}" was recorded on an earlier chain (no contract at ${previous.contracts.IntentVerifier.address} now; was the node restarted?); deploy afresh with --reset`,
      );
    }
  }

  await input.beforeDeploy?.();
  const create2 = input.create2 ?? false;
  const salt = input.salt !== undefined && input.salt !== "" ? input.salt : defaultCreate2Salt(deployer);
  const local = LOCAL_CHAIN_IDS.has(chainId);
  const ignitionConfig = {
    ...hre.config.ignition,
    // Local nodes mine at once; poll fast and need one confirmation even with automine off.
    ...(local ? { blockPollingInterval: 100, requiredConfirmations: 1 } : {}),
  };
  const provider = withGasMargin(connection.provider, connection.networkConfig.gasMultiplier);
  if (dir !== undefined) {
    await recoverUnrecordedSends({
      dir,
      provider,
      requiredConfirmations: ignitionConfig.requiredConfirmations,
      log: input.log ?? (() => {}),
    });
  }
  const result = await deploy({
    config: ignitionConfig,
    provider,
    artifactResolver: new HardhatArtifactResolver(hre.artifacts),
    executionEventListener: input.listener,
    deploymentDir: dir,
    ignitionModule: buildIntentKitModule(config, { startPaused: input.startPaused }),
    deploymentParameters: {},
    accounts,
    strategy: create2 ? "create2" : "basic",
    strategyConfig: create2 ? { salt } : undefined,
  });
  if (result.type !== "SUCCESSFUL_DEPLOYMENT") throw new UserError(describeFailure(result, deploymentId));

  const record = await buildRecord(hre, connection, {
    result,
    dir,
    deploymentId,
    networkName: connection.networkName,
    chainId,
    deployer,
    strategy: create2 ? "create2" : "basic",
    salt: create2 ? salt : undefined,
    parametersFile: input.parametersFile,
    config,
  });
  let recordFile: string | undefined;
  if (dir !== undefined) {
    const previous = await readDeploymentRecord(dir);
    // A re-run that changed nothing keeps the record byte for byte.
    if (previous !== undefined && sameDeployment(previous, record)) record.recordedAt = previous.recordedAt;
    recordFile = await writeDeploymentRecord(dir, record);
  }
  return { record, recordFile };
}

function sameDeployment(a: DeploymentRecord, b: DeploymentRecord): boolean {
  return JSON.stringify({ ...a, recordedAt: "" }) === JSON.stringify({ ...b, recordedAt: "" });
}

function describeFailure(
  result: Exclude<DeploymentResult, { type: "SUCCESSFUL_DEPLOYMENT" }>,
  deploymentId: string,
): string {
  switch (result.type) {
    case "VALIDATION_ERROR":
      return `the module is invalid: ${Object.entries(result.errors)
        .map(([id, e]) => `${id}: ${e.join(", ")}`)
        .join("; ")}`;
    case "RECONCILIATION_ERROR":
      return `deployment "${deploymentId}" was started with other parameters or code (${Object.entries(result.errors)
        .map(([id, e]) => `${id}: ${e.join(", ")}`)
        .join("; ")}); restore them to resume, or start over with --reset`;
    case "PREVIOUS_RUN_ERROR":
      return `deployment "${deploymentId}" has failed futures from an earlier run (${Object.keys(result.errors).join(", ")}); see \`npx hardhat ignition status ${deploymentId}\`, or start over with --reset`;
    case "EXECUTION_ERROR": {
      const failed = [
        ...result.failed.map((f) => `${f.futureId} failed: ${f.error}`),
        ...result.timedOut.map((f) => `${f.futureId} timed out`),
        ...result.held.map((f) => `${f.futureId} held: ${f.reason}`),
      ];
      return `deployment "${deploymentId}" stopped: ${failed.join("; ")}; fix the cause and run the same command again to resume`;
    }
    default:
      return `deployment "${deploymentId}" failed`;
  }
}

interface RecordInputs {
  result: Extract<DeploymentResult, { type: "SUCCESSFUL_DEPLOYMENT" }>;
  dir: string | undefined;
  deploymentId: string;
  networkName: string;
  chainId: number;
  deployer: string;
  strategy: "basic" | "create2";
  salt: string | undefined;
  parametersFile: string;
  config: DeploymentConfig;
}

async function buildRecord(
  hre: HardhatRuntimeEnvironment,
  connection: NetworkConnection,
  inputs: RecordInputs,
): Promise<DeploymentRecord> {
  const { ethers } = connection;
  const transactions =
    inputs.dir === undefined ? [] : await listTransactions(inputs.dir, new HardhatArtifactResolver(hre.artifacts));
  const contracts: Record<string, DeployedContract> = {};
  for (const [futureId, deployed] of Object.entries(inputs.result.contracts)) {
    const tx = transactions.find(
      (t) => t.type === "DEPLOYMENT_EXECUTION_STATE" && t.address?.toLowerCase() === deployed.address.toLowerCase(),
    );
    const receipt = tx ? await ethers.provider.getTransactionReceipt(tx.txHash) : null;
    const artifact = await hre.artifacts.readArtifact(deployed.contractName);
    contracts[futureId.slice(MODULE_ID.length + 1)] = {
      futureId,
      contractName: deployed.contractName,
      address: deployed.address,
      transactionHash: tx?.txHash ?? "",
      blockNumber: receipt?.blockNumber ?? 0,
      runtimeBytecodeHash: keccak256(await ethers.provider.getCode(deployed.address)),
      creationBytecodeHash: keccak256(artifact.bytecode),
    };
  }
  const mockTokens = Object.fromEntries(
    Object.keys(inputs.config.mockTokens).map((symbol) => [symbol, contracts[`Mock${symbol}`].address]),
  );
  const stakeToken = inputs.config.stakeToken.startsWith("$")
    ? mockTokens[inputs.config.stakeToken.slice(1)]
    : inputs.config.stakeToken;
  return {
    deploymentId: inputs.deploymentId,
    network: inputs.networkName,
    chainId: inputs.chainId,
    deployer: inputs.deployer,
    strategy: inputs.strategy,
    ...(inputs.salt ? { salt: inputs.salt } : {}),
    parametersFile: inputs.parametersFile,
    parameters: JSON.parse(JSON.stringify(inputs.config, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
    stakeToken,
    mockTokens,
    contracts,
    recordedAt: new Date().toISOString(),
  };
}
