// Tasks for the system's admins and guardians: pause, roles, validators, token policies,
// timings, bonds, slashing, blocked users and solver suspensions. Each checks that the acting
// account holds the role the contract requires before it sends anything.
import { task } from "hardhat/config";

import { actingOnDeployment } from "./lib/options.js";

const TARGET = { name: "target", description: "verifier, registry or all", defaultValue: "all" } as const;
const CONTRACT = { name: "contract", description: "verifier or registry", defaultValue: "" } as const;
const ROLE = {
  name: "role",
  description:
    "guardian, validator-admin, policy-admin or rate-limit-admin (the registry has guardian and rate-limit-admin)",
  defaultValue: "",
} as const;
const ACCOUNT = { name: "account", description: "Account address", defaultValue: "" } as const;
const TYPE = { name: "type", description: "Intent type: transfer or swap", defaultValue: "" } as const;
const SOLVER = { name: "solver", description: "Solver address", defaultValue: "" } as const;

export const adminPauseTask = actingOnDeployment(
  task("admin:pause", "Pause the verifier, the registry or both (GUARDIAN_ROLE)").addOption(TARGET),
)
  .setAction(() => import("./actions/admin/pause.js"))
  .build();

export const adminUnpauseTask = actingOnDeployment(
  task("admin:unpause", "Unpause the verifier, the registry or both (GUARDIAN_ROLE)").addOption(TARGET),
)
  .setAction(() => import("./actions/admin/unpause.js"))
  .build();

export const adminGrantRoleTask = actingOnDeployment(
  task("admin:grant-role", "Grant a role on the verifier or the registry (default admin)")
    .addOption(CONTRACT)
    .addOption(ROLE)
    .addOption(ACCOUNT),
)
  .setAction(() => import("./actions/admin/grant-role.js"))
  .build();

export const adminRevokeRoleTask = actingOnDeployment(
  task("admin:revoke-role", "Revoke a role on the verifier or the registry (default admin)")
    .addOption(CONTRACT)
    .addOption(ROLE)
    .addOption(ACCOUNT),
)
  .setAction(() => import("./actions/admin/revoke-role.js"))
  .build();

export const adminSetValidatorTask = actingOnDeployment(
  task("admin:set-validator", "Plug a validator into an intent type, or remove it (VALIDATOR_ADMIN_ROLE)")
    .addOption(TYPE)
    .addOption({ name: "validator", description: "Validator address, or none to remove it", defaultValue: "" }),
)
  .setAction(() => import("./actions/admin/set-validator.js"))
  .build();

export const adminSetTokenPolicyTask = actingOnDeployment(
  task("admin:set-token-policy", "Allow a token for an intent type with amount bounds (POLICY_ADMIN_ROLE)")
    .addOption(TYPE)
    .addOption({ name: "token", description: "Token symbol (e.g. WETH) or address", defaultValue: "" })
    .addOption({ name: "min", description: "Smallest amount, in the token's units", defaultValue: "" })
    .addOption({ name: "max", description: "Largest amount, in the token's units", defaultValue: "" })
    .addFlag({ name: "disallow", description: "Disallow the token instead (--min/--max then default to 0)" }),
)
  .setAction(() => import("./actions/admin/set-token-policy.js"))
  .build();

export const adminSetTimingsTask = actingOnDeployment(
  task("admin:set-timings", "Set the longest intent lifetime and the claim window (default admin)")
    .addOption({ name: "maxTtl", description: "Longest intent lifetime: 90, 90s, 15m, 2h, 1d", defaultValue: "" })
    .addOption({ name: "claimTtl", description: "Claim window, at most --max-ttl and 65535 s", defaultValue: "" }),
)
  .setAction(() => import("./actions/admin/set-timings.js"))
  .build();

export const adminSetBondTask = actingOnDeployment(
  task("admin:set-bond", "Set the minimum bond and the unbonding period (default admin)")
    .addOption({ name: "minBond", description: "Minimum bond in stake tokens, e.g. 1000", defaultValue: "" })
    .addOption({ name: "unbonding", description: "Unbonding period: 90, 90s, 15m, 2h, 1d", defaultValue: "" }),
)
  .setAction(() => import("./actions/admin/set-bond.js"))
  .build();

export const adminSetSlashingTask = actingOnDeployment(
  task("admin:set-slashing", "Set the slash per failed claim and who receives it (default admin)")
    .addOption({ name: "amount", description: "Stake tokens slashed per failed claim, e.g. 100", defaultValue: "" })
    .addOption({ name: "userShare", description: "Harmed user's share in basis points, 0 to 10000", defaultValue: "" })
    .addOption({ name: "treasury", description: "Address that receives the rest", defaultValue: "" }),
)
  .setAction(() => import("./actions/admin/set-slashing.js"))
  .build();

export const adminBlockUserTask = actingOnDeployment(
  task("admin:block-user", "Block a user from submitting intents, or unblock (GUARDIAN_ROLE)")
    .addOption({ name: "user", description: "User address", defaultValue: "" })
    .addFlag({ name: "unblock", description: "Unblock the user instead" }),
)
  .setAction(() => import("./actions/admin/block-user.js"))
  .build();

export const adminSuspendSolverTask = actingOnDeployment(
  task("admin:suspend-solver", "Suspend an active solver (GUARDIAN_ROLE)").addOption(SOLVER),
)
  .setAction(() => import("./actions/admin/suspend-solver.js"))
  .build();

export const adminReinstateSolverTask = actingOnDeployment(
  task("admin:reinstate-solver", "Reinstate a suspended solver (GUARDIAN_ROLE)").addOption(SOLVER),
)
  .setAction(() => import("./actions/admin/reinstate-solver.js"))
  .build();

export const adminTasks = [
  adminPauseTask,
  adminUnpauseTask,
  adminGrantRoleTask,
  adminRevokeRoleTask,
  adminSetValidatorTask,
  adminSetTokenPolicyTask,
  adminSetTimingsTask,
  adminSetBondTask,
  adminSetSlashingTask,
  adminBlockUserTask,
  adminSuspendSolverTask,
  adminReinstateSolverTask,
];
