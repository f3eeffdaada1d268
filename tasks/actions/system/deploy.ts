// system:deploy: validates the network's parameters file, deploys and wires the system with the
// Ignition module, and writes the deployment record. Resumable: Ignition's journal in
// ignition/deployments/<id>/ lets a deployment that died midway continue without deploying any
// contract twice, and re-running a completed deployment sends nothing.
import { rm } from "node:fs/promises";
import path from "node:path";

import { HardhatArtifactResolver, PrettyEventHandler } from "@nomicfoundation/hardhat-ignition/helpers";
import { deploy, listTransactions, type DeploymentResult } from "@nomicfoundation/ignition-core";
import { concat, id, isHexString, keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { defaultParametersFile, loadDeploymentConfig, type DeploymentConfig } from "../../../deploy/config.js";
import { lineProgress } from "../../../deploy/progress.js";
import { MODULE_ID, buildIntentKitModule } from "../../../deploy/modules/IntentKit.js";
import {
  deploymentDir,
  resolveDeploymentId,
  readDeploymentRecord,
  writeDeploymentRecord,
  type DeployedContract,
  type DeploymentRecord,
} from "../../../deploy/record.js";
import { taskAction } from "../../lib/action.js";
import { connect } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { emit, rowsTable } from "../../lib/output.js";

interface DeployArgs {
  parameters: string;
  deployment: string;
  create2: boolean;
  salt: string;
  reset: boolean;
  json: boolean;
}

/** Chains whose state is thrown away: the only ones that may get mock tokens. */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/**
 * The default CREATE2 salt for CreateX: the deployer's address, then 0x00, then a fixed tag. The
 * address makes the salt permissioned (only this deployer can use it, so nobody can squat our
 * addresses) and 0x00 turns off CreateX's per-chain salt, so addresses match on every chain.
 */
export function defaultCreate2Salt(deployer: string): string {
  return concat([deployer, "0x00", id("intentkit.v1").slice(0, 24)]);
}

async function run(args: DeployArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.salt !== "" && !isHexString(args.salt, 32))
    throw new UserError(`--salt must be 32 bytes of hex (0x + 64 digits)`);
  if (args.salt !== "" && !args.create2) throw new UserError("--salt only applies with --create2");

  const { connection, ethers, networkName, chainId } = await connect(hre);
  const parametersFile =
    args.parameters === "" ? defaultParametersFile(hre.config.paths.root, networkName) : path.resolve(args.parameters);
  const config = await loadDeploymentConfig(parametersFile);
  if (Object.keys(config.mockTokens).length > 0 && !LOCAL_CHAIN_IDS.has(chainId)) {
    throw new UserError(
      `${parametersFile} deploys mock tokens, which are for local chains only; name real token addresses for chain ${chainId}`,
    );
  }

  const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  if (accounts.length === 0) {
    throw new UserError(
      `network "${networkName}" has no deployer account; set its key with \`npx hardhat keystore set INTENTKIT_DEPLOYER_KEY\``,
    );
  }
  const deployer = ethers.getAddress(accounts[0]);
  const ephemeral = connection.networkConfig.type === "edr-simulated";
  const deploymentId = resolveDeploymentId(args.deployment, chainId);
  if (!/^[A-Za-z0-9_-]+$/.test(deploymentId)) throw new UserError(`--deployment may use letters, digits, - and _ only`);
  const dir = ephemeral ? undefined : deploymentDir(hre.config.paths.root, deploymentId);

  if (dir !== undefined) {
    if (args.reset) await rm(dir, { recursive: true, force: true });
    const previous = await readDeploymentRecord(dir);
    if (previous !== undefined && (await ethers.provider.getCode(previous.contracts.IntentVerifier.address)) === "0x") {
      throw new UserError(
        `deployment "${deploymentId}" was recorded on an earlier chain (no contract at ${previous.contracts.IntentVerifier.address} now; was the node restarted?); deploy afresh with --reset`,
      );
    }
  }

  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });

  const salt = args.salt !== "" ? args.salt : defaultCreate2Salt(deployer);
  const local = LOCAL_CHAIN_IDS.has(chainId);
  const result = await deploy({
    config: {
      ...hre.config.ignition,
      // Local nodes mine at once; poll fast and need one confirmation even with automine off.
      ...(local ? { blockPollingInterval: 100, requiredConfirmations: 1 } : {}),
    },
    provider: connection.provider,
    artifactResolver: new HardhatArtifactResolver(hre.artifacts),
    // Ignition's live display for a person at a terminal; plain lines (on stderr) otherwise.
    executionEventListener:
      process.stdout.isTTY && process.env.CI !== "true" && !args.json
        ? new PrettyEventHandler(hre.interruptions)
        : lineProgress(),
    deploymentDir: dir,
    ignitionModule: buildIntentKitModule(config),
    deploymentParameters: {},
    accounts,
    strategy: args.create2 ? "create2" : "basic",
    strategyConfig: args.create2 ? { salt } : undefined,
  });
  if (result.type !== "SUCCESSFUL_DEPLOYMENT") throw new UserError(describeFailure(result, deploymentId));

  const record = await buildRecord(hre, {
    result,
    dir,
    deploymentId,
    networkName,
    chainId,
    deployer,
    strategy: args.create2 ? "create2" : "basic",
    salt: args.create2 ? salt : undefined,
    parametersFile: path.relative(hre.config.paths.root, parametersFile),
    config,
  });
  let recordFile: string | undefined;
  if (dir !== undefined) {
    const previous = await readDeploymentRecord(dir);
    // A re-run that changed nothing keeps the record byte for byte.
    if (previous !== undefined && sameDeployment(previous, record)) record.recordedAt = previous.recordedAt;
    recordFile = await writeDeploymentRecord(dir, record);
  }

  emit(args.json, { ...record, recordFile: recordFile ?? null }, () => {
    const rows = Object.entries(record.contracts).map(([name, c]) => ({
      contract: name,
      address: c.address,
      block: c.blockNumber,
      transaction: c.transactionHash,
    }));
    const where = recordFile
      ? `record: ${path.relative(process.cwd(), recordFile)}`
      : "embedded network: nothing recorded (it vanishes with this process); deploy to a running node with --network localhost";
    return `${rowsTable(rows)}deployment "${deploymentId}" on ${networkName} (chain ${chainId}), ${record.strategy} strategy; ${where}\n`;
  });
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

async function buildRecord(hre: HardhatRuntimeEnvironment, inputs: RecordInputs): Promise<DeploymentRecord> {
  const { ethers } = await hre.network.getOrCreate();
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

export default taskAction(run);
