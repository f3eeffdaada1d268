// `npx hardhat solver <task>`: what a solver runs against the registry: bond, top up, exit,
// withdraw, its track record, the slash credits of the users it harmed, and the bot itself.
import { emptyTask, task } from "hardhat/config";

import { BOT_OPTIONS, withBotOptions } from "./lib/bot-options.js";
import { actingOnDeployment, readingDeployment, required } from "./lib/options.js";

const APPROVE = {
  name: "approve",
  description: "Approve the registry for exactly the amount first, if needed",
} as const;

export const solverTask = emptyTask("solver", "Register, bond, exit and inspect solvers").build();

export const solverRegisterTask = actingOnDeployment(
  task(["solver", "register"], "Register the acting account as a solver with a bond")
    .addOption(required("bond", "Bond in stake tokens, e.g. 1000 (at least the minimum bond)"))
    .addFlag(APPROVE),
)
  .setAction(() => import("./actions/solver/register.js"))
  .build();

export const solverTopupTask = actingOnDeployment(
  task(["solver", "topup"], "Add stake tokens to the acting solver's bond")
    .addOption(required("amount", "Stake tokens to add, e.g. 250"))
    .addFlag(APPROVE),
)
  .setAction(() => import("./actions/solver/topup.js"))
  .build();

export const solverExitTask = actingOnDeployment(
  task(["solver", "exit"], "Announce the acting solver's exit (starts the unbonding period)"),
)
  .setAction(() => import("./actions/solver/exit.js"))
  .build();

export const solverWithdrawTask = actingOnDeployment(
  task(["solver", "withdraw"], "Withdraw the acting solver's bond after the unbonding period"),
)
  .setAction(() => import("./actions/solver/withdraw.js"))
  .build();

export const solverCreditTask = actingOnDeployment(
  task(
    ["solver", "credit"],
    "Withdraw the acting account's slash credits (a harmed user's or the treasury's) once unlocked",
  ),
)
  .setAction(() => import("./actions/solver/credit.js"))
  .build();

export const solverInfoTask = actingOnDeployment(
  task(["solver", "info"], "Show a solver's record, success rate, score and claim rate limit").addOption({
    name: "solver",
    description: "Solver address (default: the --from account)",
    defaultValue: "",
  }),
)
  .setAction(() => import("./actions/solver/info.js"))
  .build();

export const solverListTask = readingDeployment(
  task(["solver", "list"], "List every solver that ever registered, with its current record"),
)
  .setAction(() => import("./actions/solver/list.js"))
  .build();

export const solverRunTask = withBotOptions(
  task(
    ["solver", "run"],
    "Run a solver bot for the acting account: claim and fulfil, or fill signed intents, by its rules, until Ctrl-C",
  ).addOption({
    name: "rules",
    description:
      "Rules file (JSON): pairs, margin, inventory, claim quota, gas ceiling, signed-intents folder (default: fill what it can)",
    defaultValue: "",
  }),
  { ...BOT_OPTIONS.port, defaultValue: 9100 },
)
  .setAction(() => import("./actions/solver/run.js"))
  .build();

export const solverTasks = [
  solverTask,
  solverRegisterTask,
  solverTopupTask,
  solverExitTask,
  solverWithdrawTask,
  solverCreditTask,
  solverInfoTask,
  solverListTask,
  solverRunTask,
];
