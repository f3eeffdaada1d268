// Every intentkit task, for hardhat.config.ts. Definitions only: each action is imported lazily,
// when its task runs, so `npx hardhat --help` stays fast.
import { systemTasks } from "./system.js";

export const intentkitTasks = [...systemTasks];
