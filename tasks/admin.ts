// `npx hardhat admin <task>`: for the system's admins and guardians: pause, roles, validators,
// token policies, timings, bonds, slashing, blocked users and solver suspensions. Each checks
// that the acting account holds the role the contract requires before it sends anything.
import { emptyTask, task } from "hardhat/config";

import { actingOnDeployment, required } from "./lib/options.js";

const TARGET = { name: "target", description: "verifier, registry or all", defaultValue: "all" } as const;
const CONTRACT = required("contract", "verifier or registry");
const ROLE = required(
  "role",
  "guardian, validator-admin, policy-admin or rate-limit-admin (the registry has guardian and rate-limit-admin)",
);
const ACCOUNT = required("account", "Account address");
const TYPE = required("type", "Intent type: transfer or swap");
const SOLVER = required("solver", "Solver address");

export const adminTask = emptyTask("admin", "Administer a deployment: pause, roles, policies, parameters").build();

export const adminPauseTask = actingOnDeployment(
  task(["admin", "pause"], "Pause the verifier, the registry or both (GUARDIAN_ROLE)").addOption(TARGET),
)
  .setAction(() => import("./actions/admin/pause.js"))
  .build();

export const adminUnpauseTask = actingOnDeployment(
  task(["admin", "unpause"], "Unpause the verifier, the registry or both (GUARDIAN_ROLE)").addOption(TARGET),
)
  .setAction(() => import("./actions/admin/unpause.js"))
  .build();

export const adminGrantRoleTask = actingOnDeployment(
  task(["admin", "grant-role"], "Grant a role on the verifier or the registry (default admin)")
    .addOption(CONTRACT)
    .addOption(ROLE)
    .addOption(ACCOUNT),
)
  .setAction(() => import("./actions/admin/grant-role.js"))
  .build();

export const adminRevokeRoleTask = actingOnDeployment(
  task(["admin", "revoke-role"], "Revoke a role on the verifier or the registry (default admin)")
    .addOption(CONTRACT)
    .addOption(ROLE)
    .addOption(ACCOUNT),
)
  .setAction(() => import("./actions/admin/revoke-role.js"))
  .build();

export const adminSetValidatorTask = actingOnDeployment(
  task(["admin", "set-validator"], "Plug a validator into an intent type, or remove it (VALIDATOR_ADMIN_ROLE)")
    .addOption(TYPE)
    .addOption(required("validator", "Validator address, or none to remove it")),
)
  .setAction(() => import("./actions/admin/set-validator.js"))
  .build();

export const adminSetTokenPolicyTask = actingOnDeployment(
  task(["admin", "set-token-policy"], "Allow a token for an intent type with amount bounds (POLICY_ADMIN_ROLE)")
    .addOption(TYPE)
    .addOption(required("token", "Token symbol (e.g. WETH) or address"))
    .addOption({ name: "min", description: "Smallest amount, in the token's units", defaultValue: "" })
    .addOption({ name: "max", description: "Largest amount, in the token's units", defaultValue: "" })
    .addFlag({ name: "disallow", description: "Disallow the token instead (--min/--max then default to 0)" }),
)
  .setAction(() => import("./actions/admin/set-token-policy.js"))
  .build();

export const adminSetTimingsTask = actingOnDeployment(
  task(["admin", "set-timings"], "Set the longest intent lifetime and the claim window (default admin)")
    .addOption(required("maxTtl", "Longest intent lifetime: 90, 90s, 15m, 2h, 1d"))
    .addOption(required("claimTtl", "Claim window, at most --max-ttl and 65535 s")),
)
  .setAction(() => import("./actions/admin/set-timings.js"))
  .build();

export const adminSetBondTask = actingOnDeployment(
  task(["admin", "set-bond"], "Set the minimum bond and the unbonding period (default admin)")
    .addOption(required("minBond", "Minimum bond in stake tokens, e.g. 1000"))
    .addOption(required("unbonding", "Unbonding period: 90, 90s, 15m, 2h, 1d")),
)
  .setAction(() => import("./actions/admin/set-bond.js"))
  .build();

export const adminSetSlashingTask = actingOnDeployment(
  task(["admin", "set-slashing"], "Set the slash per failed claim and who receives it (default admin)")
    .addOption(required("amount", "Stake tokens slashed per failed claim, e.g. 100"))
    .addOption(required("userShare", "Harmed user's share in basis points, 0 to 10000"))
    .addOption(required("treasury", "Address that receives the rest")),
)
  .setAction(() => import("./actions/admin/set-slashing.js"))
  .build();

export const adminBlockUserTask = actingOnDeployment(
  task(["admin", "block-user"], "Block a user from submitting intents, or unblock (GUARDIAN_ROLE)")
    .addOption(required("user", "User address"))
    .addFlag({ name: "unblock", description: "Unblock the user instead" }),
)
  .setAction(() => import("./actions/admin/block-user.js"))
  .build();

export const adminSuspendSolverTask = actingOnDeployment(
  task(["admin", "suspend-solver"], "Suspend an active solver (GUARDIAN_ROLE)").addOption(SOLVER),
)
  .setAction(() => import("./actions/admin/suspend-solver.js"))
  .build();

export const adminReinstateSolverTask = actingOnDeployment(
  task(["admin", "reinstate-solver"], "Reinstate a suspended solver (GUARDIAN_ROLE)").addOption(SOLVER),
)
  .setAction(() => import("./actions/admin/reinstate-solver.js"))
  .build();

export const adminTasks = [
  adminTask,
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
