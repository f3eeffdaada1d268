// intent status: the authoritative on-chain status of an intent, its contents and its history.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { parseBytes32 } from "../../lib/args.js";
import { openDeployment } from "../../lib/context.js";
import { intentEvents, intentView, loadIntent } from "../../lib/intent.js";
import { emit, keyValueTable } from "../../lib/output.js";

async function run(args: { id: string; deployment: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  parseBytes32("<id>", args.id);
  const ctx = await openDeployment(hre, args.deployment);
  const loaded = await loadIntent(ctx, args.id);
  const history = await intentEvents(ctx, loaded.id, loaded.submittedBlock);
  const view = { ...intentView(loaded), history };
  emit(args.json, view, () =>
    keyValueTable({
      ...intentView(loaded),
      history: history.map((h) => `block ${h.block}: ${h.event}`),
    }),
  );
}

export default taskAction(run);
