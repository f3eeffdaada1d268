// Stage `integration`: the integration suite (test/integration/) against the live testnet
// deployment of this build, read from its manifest, over JSON-RPC.
import path from "node:path";

import type { HttpNetworkConfig } from "hardhat/types/config";

import { deploymentFor } from "../deploy/deployment-evidence.js";
import { StageFailure } from "../errors.js";
import { integrationCommand } from "../integration/command.js";
import type { Stage } from "../stage.js";

export const integrationStage: Stage = {
  name: "integration",
  title: "integration: the integration suite against the testnet deployment",
  needs: ["testnet"],
  async run(ctx) {
    const { manifest, manifestFile } = await deploymentFor(ctx, "testnet", "integration");
    ctx.progress(`integration suite against ${manifest.deploymentId} on chain ${manifest.chainId}`);
    const report = path.join(ctx.stageDir, "integration.junit.xml");
    const { args, env } = integrationCommand(manifestFile, report);
    if (!manifest.local) {
      // The configured URL may embed an API key: it goes to the suite in its environment, never
      // into the manifest or a log.
      const network = ctx.hre.config.networks[manifest.network] as HttpNetworkConfig | undefined;
      if (network?.type !== "http") throw new StageFailure(`network "${manifest.network}" is not in hardhat.config.ts`);
      env.INTENTKIT_INTEGRATION_RPC_URL = await network.url.get();
    }
    const result = await ctx.hardhat(args, { logName: "integration", env });
    const log = "integration/integration.log";
    const summary = result.tail.filter((line) => /\d+ (passing|failing|pending)/.test(line)).map((l) => l.trim());
    if (result.code !== 0) {
      throw new StageFailure(
        `the integration suite failed against ${manifest.deploymentId}: ${summary.join(", ") || `exit ${result.code}`}; read ${log}`,
        { log },
        result.tail,
      );
    }
    return {
      outputs: {
        deployment: manifest.deploymentId,
        chainId: manifest.chainId,
        result: summary.join(", "),
        log,
        junit: "integration/integration.junit.xml",
      },
    };
  },
};
