// Every intentkit task, for hardhat.config.ts. Definitions only: each action is imported lazily,
// when its task runs, so `npx hardhat --help` stays fast.
import { chainTasks } from "./chain.js";
import { intentTasks } from "./intent.js";
import { systemTasks } from "./system.js";

export const intentkitTasks = [...chainTasks, ...systemTasks, ...intentTasks];
