// `npx hardhat service <task>`: the off-chain service (indexer, store, cache, read API, metrics)
// for the deployment recorded on the chosen network.
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { DEPLOYMENT_OPTION } from "./lib/options.js";

export const serviceTask = emptyTask("service", "Run the off-chain service of a deployment").build();

const DATABASE_URL_OPTION = {
  name: "databaseUrl",
  description: "Postgres URL (default: $DATABASE_URL; neither set: the embedded store under .intentkit/service/)",
  defaultValue: "",
} as const;

export const serviceStartTask = task(
  ["service", "start"],
  "Index the deployment's events and serve the read API and /metrics until Ctrl-C",
)
  .addOption({ name: "port", description: "Port on 127.0.0.1", type: ArgumentType.INT, defaultValue: 8080 })
  .addOption({
    name: "reorgDepth",
    description: "Deepest reorg rolled back; a deeper one stops the service",
    type: ArgumentType.INT,
    defaultValue: 64,
  })
  .addOption(DATABASE_URL_OPTION)
  .addOption({
    name: "redisUrl",
    description: "Redis URL of the shared cache tier (default: $REDIS_URL; neither set: no Redis tier)",
    defaultValue: "",
  })
  .addOption({
    name: "relayer",
    description:
      "Account that relays accepted intents (POST /api/intents): an index or address of the network's accounts (keystore); none: intake answers 503",
    defaultValue: "",
  })
  .addOption({
    name: "intentsPerWindow",
    description: "Intents one user may submit per --intent-window seconds",
    type: ArgumentType.INT,
    defaultValue: 100,
  })
  .addOption({
    name: "intentWindow",
    description: "Seconds of the intent limit's window",
    type: ArgumentType.INT,
    defaultValue: 900,
  })
  .addOption({
    name: "requestsPerMinute",
    description: "Requests one client may send to /api per minute",
    type: ArgumentType.INT,
    defaultValue: 1_000,
  })
  .addOption({
    name: "maxPending",
    description: "Pending intents one user may hold at once",
    type: ArgumentType.INT,
    defaultValue: 20,
  })
  .addOption({
    name: "trustProxy",
    description:
      "Addresses (comma-separated IPs or CIDRs) of proxies whose X-Forwarded-For names the client; default: none",
    defaultValue: "",
  })
  .addFlag({
    name: "apiOnly",
    description:
      "Serve the API beside another service that indexes into the same Postgres (needs --database-url; Redis shares limits and live rooms)",
  })
  .addOption(DEPLOYMENT_OPTION)
  .setAction(() => import("./actions/service/start.js"))
  .build();

export const serviceResyncTask = task(
  ["service", "resync"],
  "Drop the deployment's indexed data; the next start indexes again from the deployment's block",
)
  .addOption(DATABASE_URL_OPTION)
  .addOption(DEPLOYMENT_OPTION)
  .setAction(() => import("./actions/service/resync.js"))
  .build();

export const serviceTasks = [serviceTask, serviceStartTask, serviceResyncTask];
