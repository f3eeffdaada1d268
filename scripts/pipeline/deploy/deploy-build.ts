// Deploys the run's build to a target with the Ignition module and writes the stage's manifest:
// what `testnet` does, and the first step of the mainnet rollout.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import { loadDeploymentConfig, type DeploymentConfig } from "../../../deploy/config.js";
import { deploySystem } from "../../../deploy/deploy-system.js";
import { DEPLOYABLE_CONTRACTS } from "../../../deploy/deployable.js";
import { lineProgress } from "../../../deploy/progress.js";
import { deploymentDir, type DeploymentRecord } from "../../../deploy/record.js";
import { UserError } from "../../../lib/domain/errors.js";
import { StageFailure } from "../errors.js";
import type { StageContext } from "../stage.js";
import { MANIFEST_FILE, manifestFromRecord, transactionsFromJournal, type DeploymentManifest } from "./manifest.js";
import { deploymentIdFor, type Target } from "./target.js";

export async function loadTargetParameters(ctx: StageContext, target: Target): Promise<DeploymentConfig> {
  try {
    return await loadDeploymentConfig(target.parametersFile);
  } catch (error) {
    throw new StageFailure(
      error instanceof UserError
        ? `${error.message} (the ${target.role} deploys network "${target.network}" with it; set networks.${target.network}.parameters in pipeline.config.json to use another file)`
        : String(error),
    );
  }
}

export interface DeployBuildInput {
  target: Target;
  connection: NetworkConnection;
  chainId: number;
  config: DeploymentConfig;
  startPaused?: boolean;
}

/** Deploys (or resumes the deployment of) the build and returns its manifest, also written to the stage folder. */
export async function deployBuild(ctx: StageContext, input: DeployBuildInput): Promise<DeploymentManifest> {
  const { target, connection, chainId, config } = input;
  const deploymentId = deploymentIdFor(ctx, target);
  const dir = deploymentDir(ctx.root, deploymentId);
  let deployed;
  try {
    deployed = await deploySystem({
      hre: ctx.hre,
      connection,
      chainId,
      config,
      parametersFile: path.relative(ctx.root, target.parametersFile),
      deploymentId,
      dir,
      // A spawned chain that was gone and started again holds none of the journal's contracts.
      reset: target.chain?.restarted === true,
      listener: lineProgress((line) => ctx.progress(`${target.role}: ${line}`)),
      log: (line) => ctx.progress(`${target.role}: ${line}`),
      startPaused: input.startPaused,
    });
  } catch (error) {
    if (error instanceof UserError) throw new StageFailure(`${target.role} deployment: ${error.message}`);
    throw error;
  }
  return writeManifest(ctx, target, connection, deployed.record, dir);
}

/** The manifest of a deployment from its record and journal, written to the stage folder. */
export async function writeManifest(
  ctx: StageContext,
  target: Target,
  connection: NetworkConnection,
  record: DeploymentRecord,
  dir: string,
): Promise<DeploymentManifest> {
  const { ethers } = connection;
  const transactions = await transactionsFromJournal(dir, async (hash) => {
    const receipt = await ethers.provider.getTransactionReceipt(hash);
    return receipt?.gasUsed ?? 0n;
  });
  const manifest = await manifestFromRecord(
    record,
    dir,
    Object.fromEntries(DEPLOYABLE_CONTRACTS.map((c) => [c.name, c.sourceName])),
    new Set(DEPLOYABLE_CONTRACTS.map((c) => c.name)),
    {
      stage: target.role,
      buildHash: ctx.buildHash,
      runId: ctx.summary.runId,
      commit: ctx.summary.commit,
      rpcUrl: target.url ?? `(the URL of network "${target.network}" in hardhat.config.ts)`,
      local: target.local,
    },
    transactions,
  );
  // Mocks live in contracts/test/; name their source too, so `verify` can check them.
  for (const contract of Object.values(manifest.contracts)) {
    if (contract.sourceName === "") {
      const artifact = await ctx.hre.artifacts.readArtifact(contract.contractName);
      contract.sourceName = artifact.sourceName;
    }
  }
  await writeFile(path.join(ctx.stageDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest's contracts as a markdown table, for the stage's section of summary.md. */
export function manifestSection(title: string, manifest: DeploymentManifest): string {
  const rows = Object.entries(manifest.contracts).map(
    ([name, c]) => `| ${name} | \`${c.address}\` | ${c.blockNumber} | \`${c.transactionHash}\` |`,
  );
  return [
    `### ${title}`,
    "",
    `Network \`${manifest.network}\` (chain ${manifest.chainId}${manifest.local ? ", spawned for this run" : ""}), deployment \`${manifest.deploymentId}\`, deployer \`${manifest.deployer}\`, ${manifest.transactions.length} transactions, ${manifest.gasUsed} gas.`,
    "",
    "| contract | address | block | transaction |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
