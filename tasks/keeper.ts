// `npx hardhat keeper run`: fails lapsed claims and expires stale intents of a deployment.
import { emptyTask, task } from "hardhat/config";

import { BOT_OPTIONS, withBotOptions } from "./lib/bot-options.js";

export const keeperTask = emptyTask("keeper", "Run the keeper of a deployment").build();

export const keeperRunTask = withBotOptions(
  task(["keeper", "run"], "Fail lapsed claims and expire stale intents, with retries, until Ctrl-C"),
  { ...BOT_OPTIONS.port, defaultValue: 9101 },
)
  .setAction(() => import("./actions/keeper/run.js"))
  .build();

export const keeperTasks = [keeperTask, keeperRunTask];
