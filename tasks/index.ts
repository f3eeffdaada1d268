// Every intentkit task, for hardhat.config.ts. Definitions only: each action is imported lazily,
// when its task runs, so `npx hardhat --help` stays fast.
import { adminTasks } from "./admin.js";
import { chainTasks } from "./chain.js";
import { intentTasks } from "./intent.js";
import { keeperTasks } from "./keeper.js";
import { pipelineTasks } from "./pipeline.js";
import { rateLimitTasks } from "./ratelimit.js";
import { serviceTasks } from "./service.js";
import { solverTasks } from "./solver.js";
import { systemTasks } from "./system.js";
import { tokenTasks } from "./token.js";

export const intentkitTasks = [
  ...chainTasks,
  ...systemTasks,
  ...intentTasks,
  ...solverTasks,
  ...rateLimitTasks,
  ...adminTasks,
  ...tokenTasks,
  ...pipelineTasks,
  ...serviceTasks,
  ...keeperTasks,
];
