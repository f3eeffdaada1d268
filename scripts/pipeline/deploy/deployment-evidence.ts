// The deployment a later stage acts on: the manifest a delivery stage wrote for this build (in
// this run, or in an earlier run of the same build), with its spawned chain still up.
import path from "node:path";

import { StageFailure } from "../errors.js";
import type { StageContext } from "../stage.js";
import { liveRunChain, type ChainRole } from "./chains.js";
import { evidenceFor } from "./evidence.js";
import { MANIFEST_FILE, readManifest, type DeploymentManifest } from "./manifest.js";

export async function deploymentFor(
  ctx: StageContext,
  role: ChainRole,
  needs: string,
): Promise<{ manifest: DeploymentManifest; manifestFile: string }> {
  const evidence = await evidenceFor(ctx.reportRoot, ctx.summary, role, ctx.buildHash);
  if (evidence === undefined) {
    throw new StageFailure(`${needs} needs the ${role} deployment of this build; run the ${role} stage first`);
  }
  const manifestFile = path.join(evidence.runDir, role, MANIFEST_FILE);
  const manifest = await readManifest(manifestFile);
  if (manifest.buildHash !== ctx.buildHash) {
    throw new StageFailure(
      `buildHash mismatch: ${manifestFile} is of build ${manifest.buildHash}, not ${ctx.buildHash}`,
    );
  }
  if (manifest.local) {
    const chain = await liveRunChain(evidence.runDir, role);
    if (chain === undefined || chain.url !== manifest.rpcUrl) {
      throw new StageFailure(
        `the local ${role} chain of run ${evidence.runId} is gone, and its deployment with it; run the ${role} stage again`,
      );
    }
  }
  return { manifest, manifestFile };
}
