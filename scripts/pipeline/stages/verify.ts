// Stage `verify`: every contract of this build's mainnet deployment (and of its testnet
// deployment, while that chain is up) checked against the build: runtime bytecode with immutables
// accounted for, a Sourcify metadata match (lib-sourcify, recompiling with solc-js), and
// block-explorer submission through hardhat-verify when an API key is configured. verify.json
// holds every result; mainnet.verify.json and testnet.verify.json each deployment's.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HttpNetworkConfig } from "hardhat/types/config";

import { deploymentFor } from "../deploy/deployment-evidence.js";
import type { DeploymentManifest } from "../deploy/manifest.js";
import { StageFailure } from "../errors.js";
import type { Stage, StageContext } from "../stage.js";
import { SolcJsCompiler } from "../verify/solc.js";
import {
  renderVerifyMarkdown,
  verdict,
  verifyDeployment,
  writeVerifyReport,
  type VerifyReport,
} from "../verify/verify-deployment.js";

/** A configured network's URL, resolved for this process only: it is never written to a report. */
async function reachable(ctx: StageContext, manifest: DeploymentManifest): Promise<DeploymentManifest> {
  if (manifest.local) return manifest;
  const network = ctx.hre.config.networks[manifest.network] as HttpNetworkConfig | undefined;
  if (network?.type !== "http") throw new StageFailure(`network "${manifest.network}" is not in hardhat.config.ts`);
  return { ...manifest, rpcUrl: await network.url.get() };
}

export const verifyStage: Stage = {
  name: "verify",
  title: "verify: bytecode, metadata and explorer verification",
  // It verifies both deployments: each must be written before it starts.
  needs: ["testnet", "mainnet"],
  async run(ctx) {
    const mainnet = await deploymentFor(ctx, "mainnet", "verify");
    const targets: Array<{ role: "mainnet" | "testnet"; manifest: DeploymentManifest }> = [
      { role: "mainnet", manifest: mainnet.manifest },
    ];
    let testnetNote = "";
    try {
      targets.push({ role: "testnet", manifest: (await deploymentFor(ctx, "testnet", "verify")).manifest });
    } catch (error) {
      if (!(error instanceof StageFailure)) throw error;
      testnetNote = `testnet not verified: ${error.reason}`;
    }

    const compiler = new SolcJsCompiler();
    const reports: Record<string, VerifyReport> = {};
    try {
      for (const { role, manifest } of targets) {
        ctx.progress(`${role}: verifying ${manifest.deploymentId} on chain ${manifest.chainId}`);
        const report = await verifyDeployment({
          root: ctx.root,
          manifest: await reachable(ctx, manifest),
          onProgress: (line) => ctx.progress(`${role}: ${line}`),
          runHardhat: ctx.hardhat,
          // The mocks exist only on local chains; they get the bytecode check, not a recompile.
          sourcify: "deployable",
          compiler,
        });
        report.rpcUrl = manifest.rpcUrl;
        reports[role] = report;
        await writeVerifyReport(path.join(ctx.stageDir, `${role}.verify.json`), report);
      }
    } finally {
      await compiler.close();
    }

    const ok = Object.values(reports).every((r) => r.ok);
    await writeFile(
      path.join(ctx.stageDir, "verify.json"),
      `${JSON.stringify(
        {
          buildHash: ctx.buildHash,
          ok,
          // Every contract of every deployment in one list, tagged with its deployment.
          contracts: Object.entries(reports).flatMap(([role, r]) =>
            r.contracts.map((c) => ({ deployment: role, chainId: r.chainId, ...c })),
          ),
          deployments: reports,
          notes: testnetNote ? [testnetNote] : [],
        },
        null,
        2,
      )}\n`,
    );
    await ctx.section(
      Object.values(reports).map(renderVerifyMarkdown).join("\n") + (testnetNote ? `\n- ${testnetNote}\n` : ""),
    );
    const outputs = {
      ...Object.fromEntries(Object.entries(reports).map(([role, r]) => [role, verdict(r)])),
      ...(testnetNote ? { testnet: testnetNote } : {}),
      report: "verify/verify.json",
    };
    if (!ok) {
      const failed = Object.entries(reports)
        .filter(([, r]) => !r.ok)
        .map(([role, r]) => `${role}: ${verdict(r)}`);
      throw new StageFailure(`verification failed: ${failed.join("; ")}`, outputs);
    }
    return { outputs };
  },
};
