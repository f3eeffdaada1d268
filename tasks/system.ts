// `npx hardhat system <task>`: deploy the system and report on it.
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { DEPLOYMENT_OPTION, JSON_FLAG, readingDeployment } from "./lib/options.js";

export const systemTask = emptyTask("system", "Deploy intentkit and show a deployment").build();

export const systemDeployTask = task(
  ["system", "deploy"],
  "Deploy and wire intentkit with the Ignition module (resumable)",
)
  .addOption({
    name: "parameters",
    description: "Parameters file (default: deploy/parameters/<network>.json)",
    type: ArgumentType.FILE_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption(DEPLOYMENT_OPTION)
  .addFlag({ name: "create2", description: "Deploy through CreateX with CREATE2: the same addresses on every chain" })
  .addOption({
    name: "salt",
    description: "CREATE2 salt, 32 bytes hex (default: permissioned to the deployer)",
    defaultValue: "",
  })
  .addFlag({ name: "reset", description: "Discard this deployment's journal and record, and deploy afresh" })
  .addFlag({ ...JSON_FLAG, description: "Print the deployment record as JSON" })
  .setAction(() => import("./actions/system/deploy.js"))
  .build();

export const systemStatusTask = readingDeployment(
  task(["system", "status"], "Show a deployment: addresses, pause state, roles, limits, bounds, counts"),
)
  .setAction(() => import("./actions/system/status.js"))
  .build();

export const systemTasks = [systemTask, systemDeployTask, systemStatusTask];
