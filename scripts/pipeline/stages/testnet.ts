// Stage `testnet`: deploys the run's build with the Ignition module to the network named by
// --testnet, or to a node the pipeline spawns for the run, and writes testnet/manifest.json
// (addresses, transactions, blocks, bytecode hashes, constructor arguments, parameters).
import { deployBuild, loadTargetParameters, manifestSection } from "../deploy/deploy-build.js";
import { connectTarget, resolveTarget } from "../deploy/target.js";
import type { Stage } from "../stage.js";

export const testnetStage: Stage = {
  name: "testnet",
  title: "testnet: deploy the build with Ignition",
  // Only a build that passed its checks is deployed anywhere.
  needs: ["test", "static", "specs"],
  async run(ctx) {
    const target = await resolveTarget(ctx, "testnet");
    const config = await loadTargetParameters(ctx, target);
    const { connection, chainId } = await connectTarget(ctx, target);
    try {
      const manifest = await deployBuild(ctx, { target, connection, chainId, config });
      await ctx.section(manifestSection("Testnet deployment", manifest));
      return {
        outputs: {
          network: target.local ? `${target.network} (spawned, ${target.url})` : target.network,
          chainId,
          deploymentId: manifest.deploymentId,
          contracts: Object.entries(manifest.contracts)
            .map(([name, c]) => `${name} ${c.address}`)
            .join(", "),
          transactions: manifest.transactions.length,
          gasUsed: manifest.gasUsed,
          manifest: "testnet/manifest.json",
        },
      };
    } finally {
      await connection.close();
    }
  },
};
