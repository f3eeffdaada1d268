// A deployment manifest for a system deployed by the task harness (`startTaskChain`), standing
// in for the one the testnet stage writes, for the suites that test what reads manifests.
import { DEPLOYABLE_CONTRACTS } from "../../../deploy/deployable.js";
import { deploymentDir, readDeploymentRecord } from "../../../deploy/record.js";
import { manifestFromRecord, type DeploymentManifest } from "../../../scripts/pipeline/deploy/manifest.js";
import { ROOT, type TaskChain } from "../tasks/harness.js";

export async function manifestOf(chain: TaskChain): Promise<DeploymentManifest> {
  const dir = deploymentDir(ROOT, chain.deploymentId);
  const record = await readDeploymentRecord(dir);
  if (record === undefined) throw new Error(`system:deploy left no record in ${dir}`);
  // The creating transactions stand in for the stage's full list; nothing here reads their gas.
  const transactions = Object.values(record.contracts)
    .map((c) => ({ futureId: c.futureId, hash: c.transactionHash, blockNumber: c.blockNumber, gasUsed: "0" }))
    .sort((a, b) => a.blockNumber - b.blockNumber);
  return manifestFromRecord(
    record,
    dir,
    {
      ...Object.fromEntries(DEPLOYABLE_CONTRACTS.map((c) => [c.name, c.sourceName])),
      MockERC20: "contracts/test/MockERC20.sol",
    },
    new Set(DEPLOYABLE_CONTRACTS.map((c) => c.name)),
    {
      stage: "testnet",
      buildHash: `0x${"0".repeat(64)}`,
      runId: "self-test",
      commit: "self-test",
      rpcUrl: chain.chain.url,
      local: true,
    },
    transactions,
  );
}
