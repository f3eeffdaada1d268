// intent watch: prints an intent's events as they happen and returns once it is terminal.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { parseBytes32, parseDuration } from "../../lib/args.js";
import { checkRange } from "../../lib/ops.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { TERMINAL, intentEvents, loadIntent } from "../../lib/intent.js";
import { print, toJson } from "../../lib/output.js";
import { STATUS_NAMES } from "../../../lib/domain/intents.js";

interface WatchArgs {
  id: string;
  timeout: string;
  interval: number;
  deployment: string;
  json: boolean;
}

async function run(args: WatchArgs, hre: HardhatRuntimeEnvironment) {
  parseBytes32("<id>", args.id);
  const timeoutMs = Number(parseDuration("timeout", args.timeout)) * 1000;
  const intervalMs = Number(checkRange("interval", BigInt(args.interval), 50n, 60_000n));
  const ctx = await openDeployment(hre, args.deployment);
  const loaded = await loadIntent(ctx, args.id);
  const show = (line: Record<string, unknown>, human: string) =>
    print(args.json ? JSON.stringify(JSON.parse(toJson(line))) : human);

  let seen = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await intentEvents(ctx, loaded.id, loaded.submittedBlock);
    for (const event of events.slice(seen)) {
      show(event, `block ${event.block}  ${event.event}  ${event.transaction}`);
    }
    seen = events.length;
    const status = STATUS_NAMES[Number(await ctx.verifier.statusOf(loaded.id))];
    if (TERMINAL.has(status)) {
      show({ id: loaded.id, status, final: true }, `intent ${loaded.id} is ${status}`);
      return;
    }
    if (Date.now() >= deadline) {
      throw new UserError(
        `intent ${loaded.id} is still ${status} after ${args.timeout}; watch again or raise --timeout`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export default taskAction(run);
