// solver list: every solver that ever registered (from SolverRegistered events since the
// deployment's first block), each with its current record read from the chain.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { percentText } from "../../lib/ops.js";
import { emit, rowsTable } from "../../lib/output.js";
import { readSolver, stakeToken, type SolverView } from "./common.js";

interface ListArgs {
  deployment: string;
  json: boolean;
}

async function run(args: ListArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const ctx = await openDeployment(hre, args.deployment);
  const stake = await stakeToken(ctx);
  const fromBlock = Math.min(...Object.values(ctx.record.contracts).map((c) => c.blockNumber));
  const events = await ctx.registry.queryFilter(ctx.registry.filters.SolverRegistered(), fromBlock);
  // First registration first; a solver that re-registered after exiting is listed once.
  const solvers = [...new Set(events.map((event) => event.args.solver))];
  const views: SolverView[] = [];
  for (const solver of solvers) views.push(await readSolver(ctx, stake, solver));

  emit(args.json, views, () =>
    rowsTable(
      views.map((v) => ({
        solver: v.solver,
        status: v.status,
        bond: stake.format(v.bond),
        assigned: v.assigned,
        completed: v.completed,
        failed: v.failed,
        "success rate": percentText(v.successRateBps),
        score: percentText(v.performanceScoreBps),
        "claims in flight": v.activeClaims,
      })),
    ),
  );
}

export default taskAction(run);
