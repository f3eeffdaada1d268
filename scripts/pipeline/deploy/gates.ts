// The gates in front of the mainnet rollout. Each says why it passed or refused; all of them are
// evaluated and recorded (mainnet/gates.json) so that one run names every reason at once. The
// ones that need the network (confirmation against the chain id, balance, gas price) run only once
// the others passed: a refused rollout touches no network and starts no node.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { isCi } from "@nomicfoundation/hardhat-utils/ci";
import { formatUnits, parseUnits } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import type { StageContext, StageName } from "../stage.js";
import { allEvidenceFor, evidenceFor, latestPassed } from "./evidence.js";
import { MANIFEST_FILE, type DeploymentManifest } from "./manifest.js";
import { keyVariables, keystoreKeys } from "./keys.js";
import { REHEARSAL_DEPLOYER_KEY } from "./rehearsal-key.js";
import type { Target } from "./target.js";

export interface GateResult {
  gate: string;
  ok: boolean;
  detail: string;
}

/** The stages a rollout rests on: each must have passed for the build being rolled out. */
export const EVIDENCE_STAGES: StageName[] = ["test", "static", "specs", "testnet", "integration"];

/** Set only by the protected CI environment (GitHub: the `production` environment). */
export const APPROVAL_VARIABLE = "INTENTKIT_MAINNET_APPROVAL";

/** Gas the rollout sends after the deployment (unpause, limits, role handover), with room to spare. */
const ROLLOUT_STEPS_GAS = 600_000n;
/** The deployment's gas on the testnet, times this margin, is the mainnet estimate. */
const GAS_MARGIN_PERCENT = 125n;

export async function evidenceGates(
  ctx: StageContext,
): Promise<{ gates: GateResult[]; testnet: DeploymentManifest | undefined }> {
  const gates: GateResult[] = [];
  let testnet: DeploymentManifest | undefined;
  for (const stage of EVIDENCE_STAGES) {
    const evidence = await evidenceFor(ctx.reportRoot, ctx.summary, stage, ctx.buildHash);
    if (evidence) {
      gates.push({
        gate: `passed: ${stage}`,
        ok: true,
        detail: `passed for this build in run ${evidence.runId}${evidence.runId === ctx.summary.runId ? " (this run)" : ""} at ${evidence.stage.startedAt}`,
      });
      continue;
    }
    const other = await latestPassed(ctx.reportRoot, ctx.summary, stage);
    gates.push({
      gate: `passed: ${stage}`,
      ok: false,
      detail: other
        ? `buildHash mismatch: ${stage} last passed for ${other.stage.buildHash} (run ${other.runId}), not for this build ${ctx.buildHash}; run \`npx hardhat pipeline\` for this build`
        : `${stage} never passed for this build ${ctx.buildHash}; run \`npx hardhat pipeline\``,
    });
  }
  // The rollout rests on a testnet deployment of this build that the integration suite passed
  // against: the newest such pair.
  const integrated = await allEvidenceFor(ctx.reportRoot, ctx.summary, "integration", ctx.buildHash);
  const deployed = await allEvidenceFor(ctx.reportRoot, ctx.summary, "testnet", ctx.buildHash);
  for (const run of integrated) {
    const pair = deployed.find((d) => d.stage.outputs.deploymentId === run.stage.outputs.deployment);
    if (pair === undefined) continue;
    const file = path.join(pair.runDir, "testnet", MANIFEST_FILE);
    if (existsSync(file)) testnet = JSON.parse(await readFile(file, "utf8")) as DeploymentManifest;
    break;
  }
  if (integrated.length > 0 && deployed.length > 0) {
    gates.push(
      testnet
        ? {
            gate: "integration-tested testnet deployment",
            ok: true,
            detail: `${testnet.deploymentId} on chain ${testnet.chainId} (run ${testnet.runId})`,
          }
        : {
            gate: "integration-tested testnet deployment",
            ok: false,
            detail:
              "no testnet deployment of this build that the integration suite passed against; run testnet and integration together",
          },
    );
  }
  if (testnet !== undefined && testnet.buildHash !== ctx.buildHash) {
    gates.push({
      gate: "testnet deployment",
      ok: false,
      detail: `buildHash mismatch: the testnet runs ${testnet.buildHash}, this build is ${ctx.buildHash}`,
    });
  }
  return { gates, testnet };
}

/** Deployment records and reports are outputs of the pipeline, not inputs to the build. */
const OUTPUT_PATHS = [":(exclude)ignition/deployments", ":(exclude)reports"];

export function treeGate(root: string): GateResult {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: "pipe" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain", "--", ".", ...OUTPUT_PATHS], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    })
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(3));
    if (changed.length > 0) {
      const shown = changed.slice(0, 5).join(", ") + (changed.length > 5 ? `, and ${changed.length - 5} more` : "");
      return {
        gate: "clean tree",
        ok: false,
        detail: `uncommitted changes (${shown}); commit or stash them: a rollout records the commit it deploys`,
      };
    }
    return { gate: "clean tree", ok: true, detail: `commit ${commit}, no uncommitted changes` };
  } catch {
    return { gate: "clean tree", ok: false, detail: "not a git checkout: a rollout records the commit it deploys" };
  }
}

export function productionGate(target: Target): GateResult {
  return target.settings.production
    ? { gate: "production network", ok: true, detail: `network "${target.network}" is marked production` }
    : {
        gate: "production network",
        ok: false,
        detail: `network "${target.network}" is not marked production; set networks.${target.network}.production (with admin and maxGasPriceGwei) in pipeline.config.json`,
      };
}

export async function keyGate(ctx: StageContext, target: Target): Promise<GateResult> {
  const gate = "deployer key";
  const variables = keyVariables(ctx, target.network);
  if (typeof variables === "string") return { gate, ok: false, detail: variables };
  const [name] = variables;
  if (isCi()) {
    // Hardhat's keystore plugin reads no keystore under CI: there the key is the protected
    // environment's secret, which reaches the job as an environment variable.
    const rehearsal = target.local && process.env[name] === REHEARSAL_DEPLOYER_KEY;
    return process.env[name] !== undefined
      ? {
          gate,
          ok: true,
          detail: rehearsal
            ? `${name} from the environment (Hardhat reads no keystore under CI); for this rehearsal chain the pipeline supplied the test mnemonic's first key`
            : `${name} from the CI environment's secrets (Hardhat reads no keystore under CI)`,
        }
      : { gate, ok: false, detail: `${name} is not set; in CI it must be a secret of the protected environment` };
  }
  if (process.env[name] !== undefined) {
    return {
      gate,
      ok: false,
      detail: `${name} is set in the environment, which Hardhat reads before the keystore; unset it and keep the key in the keystore (\`npx hardhat keystore set ${name}\`)`,
    };
  }
  const { filePath, devFilePath } = ctx.hre.config.keystore;
  if ((await keystoreKeys(filePath)).includes(name)) {
    return { gate, ok: true, detail: `${name} from the keystore (${filePath})` };
  }
  if ((await keystoreKeys(devFilePath)).includes(name)) {
    return target.local
      ? { gate, ok: true, detail: `${name} from the development keystore (rehearsal chain)` }
      : {
          gate,
          ok: false,
          detail: `${name} is in the development keystore, which stores keys unencrypted; a production key belongs in the encrypted one: \`npx hardhat keystore set ${name}\``,
        };
  }
  return {
    gate,
    ok: false,
    detail: `${name} is not in the keystore; store it with \`npx hardhat keystore set ${name}\``,
  };
}

/**
 * The operator's confirmation: the chain id typed at the prompt or passed with --confirm; in CI,
 * for a real network, only the approval variable of the protected environment counts (anyone who
 * can edit a workflow can add --confirm). A rehearsal chain, spawned and thrown away by the run,
 * also takes --confirm in CI.
 */
export function confirmationGate(ctx: StageContext, target: Target, chainId: number): GateResult {
  const gate = "confirmation";
  const typed = ctx.delivery.confirm;
  const approval = process.env[APPROVAL_VARIABLE];
  if (isCi() && approval !== undefined && approval !== "") {
    return approval === String(chainId)
      ? { gate, ok: true, detail: `${APPROVAL_VARIABLE}=${chainId} from the protected environment` }
      : { gate, ok: false, detail: `${APPROVAL_VARIABLE} is ${approval}, but the chain id is ${chainId}` };
  }
  if (isCi() && !target.local) {
    return {
      gate,
      ok: false,
      detail: `no approval: in CI a rollout to a real network needs ${APPROVAL_VARIABLE}=${chainId}, which only the protected environment sets${typed ? " (--confirm is for a person at a terminal)" : ""}`,
    };
  }
  if (typed === null || typed === "") {
    return {
      gate,
      ok: false,
      detail: `not confirmed: type the chain id at the prompt, or pass --confirm ${chainId}${isCi() ? ` (or set ${APPROVAL_VARIABLE}=${chainId})` : ""}`,
    };
  }
  return typed === String(chainId)
    ? { gate, ok: true, detail: `the operator confirmed chain id ${chainId}` }
    : { gate, ok: false, detail: `the operator confirmed chain id ${typed}, but the network is chain ${chainId}` };
}

export interface CostEstimate {
  gasPrice: bigint;
  gas: bigint;
  cost: bigint;
}

export async function estimateCost(
  connection: NetworkConnection,
  testnet: DeploymentManifest | undefined,
): Promise<CostEstimate> {
  const fees = await connection.ethers.provider.getFeeData();
  const gasPrice = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const deployment = BigInt(testnet?.gasUsed ?? "0");
  const gas = (deployment * GAS_MARGIN_PERCENT) / 100n + ROLLOUT_STEPS_GAS;
  return { gasPrice, gas, cost: gas * gasPrice };
}

export function gasPriceGate(target: Target, estimate: CostEstimate): GateResult {
  const gate = "gas price";
  const ceiling = target.settings.maxGasPriceGwei;
  if (ceiling === undefined) return { gate, ok: false, detail: `no maxGasPriceGwei for network "${target.network}"` };
  const limit = parseUnits(String(ceiling), "gwei");
  const price = `${formatUnits(estimate.gasPrice, "gwei")} gwei`;
  return estimate.gasPrice <= limit
    ? { gate, ok: true, detail: `${price}, at or under the ceiling of ${ceiling} gwei` }
    : { gate, ok: false, detail: `${price} is over the ceiling of ${ceiling} gwei; wait, or raise maxGasPriceGwei` };
}

export async function balanceGate(
  connection: NetworkConnection,
  deployer: string,
  estimate: CostEstimate,
  testnet: DeploymentManifest | undefined,
): Promise<GateResult> {
  const gate = "deployer balance";
  const balance = await connection.ethers.provider.getBalance(deployer);
  const basis = testnet
    ? `${estimate.gas} gas (the testnet deployment's ${testnet.gasUsed} + 25 %, + ${ROLLOUT_STEPS_GAS} for the rollout steps)`
    : `${estimate.gas} gas`;
  const need = `${formatUnits(estimate.cost, "ether")} ETH for ${basis} at ${formatUnits(estimate.gasPrice, "gwei")} gwei`;
  return balance >= estimate.cost
    ? { gate, ok: true, detail: `${deployer} holds ${formatUnits(balance, "ether")} ETH; needs ${need}` }
    : { gate, ok: false, detail: `${deployer} holds ${formatUnits(balance, "ether")} ETH but needs ${need}` };
}
