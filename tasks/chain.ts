// `npx hardhat chain <task>`: a local chain on 127.0.0.1 for development and rehearsals.
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { JSON_FLAG, required } from "./lib/options.js";

export const chainTask = emptyTask("chain", "Run and move a local chain").build();

export const chainStartTask = task(
  ["chain", "start"],
  "Run a local node on 127.0.0.1 until Ctrl-C (anvil, or hardhat node)",
)
  .addOption({ name: "engine", description: "anvil or hardhat", defaultValue: "anvil" })
  .addOption({ name: "port", description: "Port to listen on", type: ArgumentType.INT, defaultValue: 8545 })
  .addOption({ name: "chainId", description: "Chain id", type: ArgumentType.INT, defaultValue: 31337 })
  .addOption({
    name: "blockTime",
    description: "Seconds between blocks (anvil only; 0: a block per transaction)",
    type: ArgumentType.INT,
    defaultValue: 0,
  })
  .setAction(() => import("./actions/chain/start.js"))
  .build();

export const chainAdvanceTask = task(
  ["chain", "advance"],
  "Move a local chain's clock forward and mine a block (local chains only)",
)
  .addOption(required("by", "Duration: 90, 90s, 15m, 2h, 1d"))
  .addFlag(JSON_FLAG)
  .setAction(() => import("./actions/chain/advance.js"))
  .build();

export const chainTasks = [chainTask, chainStartTask, chainAdvanceTask];
