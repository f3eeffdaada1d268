// Tasks for the rate limits: submission buckets (per user, global) on the verifier and the
// per-solver claim bucket and concurrency cap on the registry.
import { task } from "hardhat/config";

import { actingOnDeployment, readingDeployment } from "./lib/options.js";

export const rateLimitShowTask = readingDeployment(
  task("ratelimit:show", "Show what remains of a user's, the global and a solver's rate limits")
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
  task("ratelimit:set", "Set the user, global or solver-claim rate limit")
    .addOption({ name: "scope", description: "user, global or solver", defaultValue: "" })
    .addOption({
      name: "limit",
      description: "Actions per window (a full bucket admits this many at once)",
      defaultValue: "",
    })
    .addOption({ name: "window", description: "Window: 90, 90s, 15m, 2h, 1d", defaultValue: "" }),
)
  .setAction(() => import("./actions/ratelimit/set.js"))
  .build();

export const rateLimitSetMaxClaimsTask = actingOnDeployment(
  task("ratelimit:set-max-claims", "Set the cap on claims a solver may have in flight").addOption({
    name: "max",
    description: "Claims in flight per solver, 1 to 65535",
    defaultValue: "",
  }),
)
  .setAction(() => import("./actions/ratelimit/set-max-claims.js"))
  .build();

export const rateLimitExemptTask = actingOnDeployment(
  task("ratelimit:exempt", "Exempt an account (a trusted relayer) from submission rate limits")
    .addOption({ name: "account", description: "Account address", defaultValue: "" })
    .addFlag({ name: "revoke", description: "Remove the exemption instead" }),
)
  .setAction(() => import("./actions/ratelimit/exempt.js"))
  .build();

export const rateLimitTasks = [rateLimitShowTask, rateLimitSetTask, rateLimitSetMaxClaimsTask, rateLimitExemptTask];
