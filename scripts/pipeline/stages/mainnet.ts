// Stage `mainnet`: the gated rollout. First the gates (deploy/gates.ts), all recorded in
// mainnet/gates.json; then the steps (deploy/rollout.ts): deploy paused with canary limits →
// smoke checks → promote → handover, each recorded next to Ignition's journal so that a crash
// resumes where it stopped. A failing smoke check leaves the system paused and says how to roll
// back.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { getAddress } from "ethers";

import { readDeploymentRecord, deploymentDir } from "../../../deploy/record.js";
import { deployBuild, loadTargetParameters, manifestSection, writeManifest } from "../deploy/deploy-build.js";
import { MANIFEST_FILE, type DeploymentManifest } from "../deploy/manifest.js";
import {
  balanceGate,
  confirmationGate,
  estimateCost,
  evidenceGates,
  gasPriceGate,
  keyGate,
  productionGate,
  treeGate,
  type GateResult,
} from "../deploy/gates.js";
import { provisionRehearsalKey } from "../deploy/rehearsal-key.js";
import { handover, loadRollout, promote, saveRollout, type RolloutStepName } from "../deploy/rollout.js";
import { smokeChecks } from "../deploy/smoke.js";
import { attachChain, connectTarget, deploymentIdFor, describeTarget } from "../deploy/target.js";
import { StageFailure } from "../errors.js";
import type { Stage, StageContext } from "../stage.js";

/** Test-only fault injection: `mainnet:after-<step>` kills the process right after that step is recorded. */
const FAULT_VARIABLE = "INTENTKIT_PIPELINE_FAULT";

function gatesSection(gates: GateResult[]): string {
  return [
    "### Mainnet gates",
    "",
    "| gate | result | detail |",
    "| --- | --- | --- |",
    ...gates.map((g) => `| ${g.gate} | ${g.ok ? "✅ pass" : "❌ refused"} | ${g.detail.replace(/\|/g, "\\|")} |`),
    "",
  ].join("\n");
}

async function refuseUnless(ctx: StageContext, gates: GateResult[]): Promise<void> {
  await writeFile(path.join(ctx.stageDir, "gates.json"), `${JSON.stringify(gates, null, 2)}\n`);
  await ctx.section(gatesSection(gates));
  const refused = gates.filter((g) => !g.ok);
  if (refused.length > 0) {
    throw new StageFailure(`refused: ${refused.map((g) => `${g.gate}: ${g.detail}`).join("; ")}`, {
      gates: "mainnet/gates.json",
    });
  }
}

export const mainnetStage: Stage = {
  name: "mainnet",
  title: "mainnet: gated, paused-first rollout",
  // Its evidence gates (EVIDENCE_STAGES): when selected in this run, they must pass here first.
  needs: ["test", "static", "specs", "testnet", "integration"],
  async run(ctx) {
    let target = describeTarget(ctx, "mainnet");
    ctx.progress(`gates for network ${target.network}`);
    if (target.local) await provisionRehearsalKey(ctx, target);
    const { gates, testnet } = await evidenceGates(ctx);
    gates.push(treeGate(ctx.root), productionGate(target), await keyGate(ctx, target));
    // Nothing below touches the network: refuse first if any of these failed.
    if (gates.some((g) => !g.ok)) await refuseUnless(ctx, gates);

    target = await attachChain(ctx, target);
    const { connection, chainId } = await connectTarget(ctx, target);
    try {
      const [signer] = await connection.ethers.getSigners();
      const deployer = getAddress(signer.address);
      gates.push(confirmationGate(ctx, target, chainId));
      const estimate = await estimateCost(connection, testnet);
      gates.push(gasPriceGate(target, estimate), await balanceGate(connection, deployer, estimate, testnet));
      await refuseUnless(ctx, gates);

      const parameters = await loadTargetParameters(ctx, target);
      const canary = target.settings.canary;
      const probation = { ...parameters, rateLimits: { ...canary } };
      const admin = target.settings.admin as string;
      const deploymentId = deploymentIdFor(ctx, target);
      const dir = deploymentDir(ctx.root, deploymentId);
      const rollout = await loadRollout(dir, {
        deploymentId,
        network: target.network,
        chainId,
        buildHash: ctx.buildHash,
        admin,
      });
      const save = () => saveRollout(dir, rollout);
      const step = (name: RolloutStepName) => rollout.steps.find((s) => s.name === name)!;
      const fault = process.env[FAULT_VARIABLE];
      const run = async (name: RolloutStepName, action: () => Promise<void>) => {
        const record = step(name);
        if (record.status === "done") {
          ctx.progress(`rollout: ${name} done earlier (${record.finishedAt}), not run again`);
          return;
        }
        ctx.progress(`rollout: ${name}`);
        record.attempts += 1;
        record.status = "pending";
        await save();
        try {
          await action();
        } catch (error) {
          record.status = "failed";
          record.detail = record.detail || (error as Error).message.split("\n")[0];
          await save();
          throw error;
        }
        record.status = "done";
        record.finishedAt = new Date().toISOString();
        await save();
        if (fault === `mainnet:after-${name}`) process.kill(process.pid, "SIGKILL");
      };

      let manifest = undefined as Awaited<ReturnType<typeof deployBuild>> | undefined;
      await run("deploy", async () => {
        manifest = await deployBuild(ctx, { target, connection, chainId, config: probation, startPaused: true });
        step("deploy").detail =
          `${Object.keys(manifest.contracts).length} contracts, paused, canary limits; ${manifest.transactions.length} transactions, ${manifest.gasUsed} gas`;
      });
      if (manifest === undefined) {
        const record = await readDeploymentRecord(dir);
        if (record === undefined)
          throw new StageFailure(`rollout ${deploymentId}: deploy is marked done but its record is missing`);
        manifest = await writeManifest(ctx, target, connection, record, dir);
      }
      // Ignition deployed the probation parameters; the manifest records the real ones and the
      // probation apart.
      const deployed: DeploymentManifest = {
        ...manifest,
        parameters: JSON.parse(JSON.stringify(parameters, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
        probation: { startPaused: true, rateLimits: canary },
      };
      await writeFile(path.join(ctx.stageDir, MANIFEST_FILE), `${JSON.stringify(deployed, null, 2)}\n`);

      await run("smoke", async () => {
        const checks = await smokeChecks(connection.ethers.provider, deployed, parameters, canary);
        const failed = checks.filter((c) => !c.ok);
        step("smoke").checks = checks;
        step("smoke").detail = `${checks.length - failed.length}/${checks.length} checks passed`;
        await writeFile(path.join(ctx.stageDir, "smoke.json"), `${JSON.stringify(checks, null, 2)}\n`);
        if (failed.length > 0) {
          throw new StageFailure(
            `smoke checks failed, the system stays paused: ${failed.map((c) => `${c.check} ${c.detail}`).join("; ")}. ` +
              `Roll back: nothing is live (paused, no funds); abandon deployment ${deploymentId} (its contracts stay paused under the deployer) or fix the cause and continue with \`npx hardhat pipeline --resume\``,
            { smoke: "mainnet/smoke.json", rollout: path.relative(ctx.root, path.join(dir, "rollout.json")) },
          );
        }
      });
      await run("promote", () => promote(signer, deployed, parameters, step("promote"), save));
      await run("handover", () =>
        handover(
          signer,
          deployed,
          admin,
          step("handover"),
          save,
          target.local ? { url: target.url as string } : undefined,
        ),
      );

      await writeFile(path.join(ctx.stageDir, "rollout.json"), `${JSON.stringify(rollout, null, 2)}\n`);
      await ctx.section(
        [
          gatesSection(gates),
          manifestSection("Mainnet deployment", deployed),
          "### Rollout",
          "",
          "| step | attempts | transactions | detail |",
          "| --- | --- | --- | --- |",
          ...rollout.steps.map((s) => `| ${s.name} | ${s.attempts} | ${s.transactions.length} | ${s.detail} |`),
          "",
        ].join("\n"),
      );
      return {
        outputs: {
          network: target.local ? `${target.network} (spawned, ${target.url})` : target.network,
          chainId,
          deploymentId,
          gates: `${gates.length} passed (mainnet/gates.json)`,
          rollout: rollout.steps.map((s) => `${s.name} ${s.status} ×${s.attempts}`).join(", "),
          admin,
          manifest: "mainnet/manifest.json",
          rolloutRecord: "mainnet/rollout.json",
        },
      };
    } finally {
      await connection.close();
    }
  },
};
