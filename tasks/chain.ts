// Tasks that run a local chain on 127.0.0.1 for development and rehearsals.
import { task } from "hardhat/config";

import { JSON_FLAG } from "./lib/options.js";

export const chainStartTask = task("chain:start", "Run a local node on 127.0.0.1 until Ctrl-C (anvil, or hardhat node)")
  .addOption({ name: "engine", description: "anvil or hardhat", defaultValue: "anvil" })
  .addOption({ name: "port", description: "Port to listen on", defaultValue: "8545" })
  .addOption({ name: "chainId", description: "Chain id", defaultValue: "31337" })
  .addOption({
    name: "blockTime",
    description: "Seconds between blocks (anvil only; default: a block per transaction)",
    defaultValue: "",
  })
  .setAction(() => import("./actions/chain/start.js"))
  .build();

export const chainAdvanceTask = task(
  "chain:advance",
  "Move a local chain's clock forward and mine a block (local chains only)",
)
  .addOption({ name: "by", description: "Duration: 90, 90s, 15m, 2h, 1d", defaultValue: "" })
  .addFlag(JSON_FLAG)
  .setAction(() => import("./actions/chain/advance.js"))
  .build();

export const chainTasks = [chainStartTask, chainAdvanceTask];
