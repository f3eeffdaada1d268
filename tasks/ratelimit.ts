// `npx hardhat ratelimit <task>`: the rate limits: submission buckets (per user, global) on the
// verifier and the per-solver claim bucket and concurrency cap on the registry.
import { emptyTask, task } from "hardhat/config";

import { actingOnDeployment, readingDeployment, required } from "./lib/options.js";

export const rateLimitTask = emptyTask("ratelimit", "Show and set the submission and claim rate limits").build();

export const rateLimitShowTask = readingDeployment(
  task(["ratelimit", "show"], "Show what remains of a user's, the global and a solver's rate limits")
    .addOption({
      name: "user",
      description: "User address: its submission bucket and the global one",
      defaultValue: "",
    })
    .addOption({ name: "solver", description: "Solver address: its claim bucket", defaultValue: "" }),
)
  .setAction(() => import("./actions/ratelimit/show.js"))
  .build();

export const rateLimitSetTask = actingOnDeployment(
  task(["ratelimit", "set"], "Set the user, global or solver-claim rate limit")
    .addOption(required("scope", "user, global or solver"))
    .addOption(required("limit", "Actions per window, 1 to 16777215 (a full bucket admits this many at once)"))
    .addOption(required("window", "Window: 90, 90s, 15m, 2h, 1d")),
)
  .setAction(() => import("./actions/ratelimit/set.js"))
  .build();

export const rateLimitSetMaxClaimsTask = actingOnDeployment(
  task(["ratelimit", "set-max-claims"], "Set the cap on claims a solver may have in flight").addOption(
    required("max", "Claims in flight per solver, 1 to 65535"),
  ),
)
  .setAction(() => import("./actions/ratelimit/set-max-claims.js"))
  .build();

export const rateLimitExemptTask = actingOnDeployment(
  task(["ratelimit", "exempt"], "Exempt an account (a trusted relayer) from submission rate limits")
    .addOption(required("account", "Account address"))
    .addFlag({ name: "revoke", description: "Remove the exemption instead" }),
)
  .setAction(() => import("./actions/ratelimit/exempt.js"))
  .build();

export const rateLimitTasks = [
  rateLimitTask,
  rateLimitShowTask,
  rateLimitSetTask,
  rateLimitSetMaxClaimsTask,
  rateLimitExemptTask,
];
