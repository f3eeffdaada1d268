// `npx hardhat intent <task>`: drive an intent through its lifecycle, as its user, a relayer or a
// solver. The lifecycle tasks take the intent id as their positional argument.
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

import {
  DEPLOYMENT_OPTION,
  FROM_OPTION,
  ID_ARGUMENT,
  JSON_FLAG,
  actingOnDeployment,
  readingDeployment,
  required,
} from "./lib/options.js";

/** The options that describe an intent, shared by `intent submit` and `intent sign`. */
function intentOptions<ArgsT extends TaskArguments>(builder: NewTaskDefinitionBuilder<ArgsT>) {
  return builder
    .addOption({ name: "type", description: "transfer or swap", defaultValue: "transfer" })
    .addOption(required("token", "Token the user gives: a symbol of the deployment (WETH) or an address"))
    .addOption(required("amount", "Amount of --token, in token units (1.5) or base units (1500wei)"))
    .addOption({ name: "tokenOut", description: "Swap: token the recipient receives", defaultValue: "" })
    .addOption({
      name: "minOut",
      description: "Swap: least amount of --token-out the recipient must receive",
      defaultValue: "",
    })
    .addOption(required("recipient", "Who receives the tokens"))
    .addOption({ name: "ttl", description: "Lifetime: 90s, 15m, 1h, 1d", defaultValue: "1h" })
    .addOption(FROM_OPTION)
    .addFlag({ name: "approve", description: "If the verifier's allowance is short, raise it by --amount first" })
    .addOption(DEPLOYMENT_OPTION)
    .addFlag(JSON_FLAG);
}

export const intentTask = emptyTask("intent", "Submit, sign, relay, claim, fulfil and follow intents").build();

export const intentSubmitTask = intentOptions(task(["intent", "submit"], "Submit an intent directly, as its user"))
  .setAction(() => import("./actions/intent/submit.js"))
  .build();

export const intentSignTask = intentOptions(
  task(["intent", "sign"], "Sign an intent (EIP-712) for a relayer to submit"),
)
  .addOption({
    name: "out",
    description: "Write the signed intent to this file (default: print it)",
    type: ArgumentType.FILE_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .setAction(() => import("./actions/intent/sign.js"))
  .build();

export const intentRelayTask = actingOnDeployment(
  task(["intent", "relay"], "Submit a signed intent on its user's behalf").addPositionalArgument({
    name: "file",
    description: "Signed intent written by `intent sign`",
    type: ArgumentType.FILE,
  }),
)
  .setAction(() => import("./actions/intent/relay.js"))
  .build();

export const intentStatusTask = readingDeployment(
  task(["intent", "status"], "Show an intent's on-chain status, contents and history").addPositionalArgument(
    ID_ARGUMENT,
  ),
)
  .setAction(() => import("./actions/intent/status.js"))
  .build();

export const intentClaimTask = actingOnDeployment(
  task(["intent", "claim"], "Claim a pending intent as a registered solver").addPositionalArgument(ID_ARGUMENT),
)
  .setAction(() => import("./actions/intent/claim.js"))
  .build();

export const intentFulfillTask = readingDeployment(
  task(["intent", "fulfill"], "Fulfil a claimed intent as its solver")
    .addPositionalArgument(ID_ARGUMENT)
    .addOption(FROM_OPTION)
    .addOption({
      name: "amountOut",
      description: "Swap: amount of the output token to deliver (default: the minimum)",
      defaultValue: "",
    })
    .addFlag({ name: "approve", description: "Swap: approve the verifier for the output first if needed" }),
)
  .setAction(() => import("./actions/intent/fulfill.js"))
  .build();

export const intentCancelTask = actingOnDeployment(
  task(["intent", "cancel"], "Cancel a pending intent, as its user").addPositionalArgument(ID_ARGUMENT),
)
  .setAction(() => import("./actions/intent/cancel.js"))
  .build();

export const intentFailTask = actingOnDeployment(
  task(["intent", "fail"], "Settle a claim that lapsed unfulfilled (slashes the solver)").addPositionalArgument(
    ID_ARGUMENT,
  ),
)
  .setAction(() => import("./actions/intent/fail.js"))
  .build();

export const intentExpireTask = actingOnDeployment(
  task(["intent", "expire"], "Record on chain that a pending intent passed its expiry").addPositionalArgument(
    ID_ARGUMENT,
  ),
)
  .setAction(() => import("./actions/intent/expire.js"))
  .build();

export const intentWatchTask = readingDeployment(
  task(["intent", "watch"], "Follow an intent's events until it reaches a terminal state")
    .addPositionalArgument(ID_ARGUMENT)
    .addOption({ name: "timeout", description: "Give up after this long: 90s, 15m, 1h", defaultValue: "15m" })
    .addOption({ name: "interval", description: "Poll interval in ms", type: ArgumentType.INT, defaultValue: 1000 }),
)
  .setAction(() => import("./actions/intent/watch.js"))
  .build();

export const intentTasks = [
  intentTask,
  intentSubmitTask,
  intentSignTask,
  intentRelayTask,
  intentStatusTask,
  intentClaimTask,
  intentFulfillTask,
  intentCancelTask,
  intentFailTask,
  intentExpireTask,
  intentWatchTask,
];
