// The access-control roles of IntentVerifier and SolverRegistry, by the names tasks and
// parameters files use, and the solver statuses of SolverRegistry.
import { ZeroHash, id as keccakId } from "ethers";

export const ROLES = {
  admin: ZeroHash,
  guardian: keccakId("GUARDIAN_ROLE"),
  "validator-admin": keccakId("VALIDATOR_ADMIN_ROLE"),
  "policy-admin": keccakId("POLICY_ADMIN_ROLE"),
  "rate-limit-admin": keccakId("RATE_LIMIT_ADMIN_ROLE"),
} as const;
export type RoleKey = keyof typeof ROLES;

export const ROLE_CONSTANTS: Record<RoleKey, string> = {
  admin: "DEFAULT_ADMIN_ROLE",
  guardian: "GUARDIAN_ROLE",
  "validator-admin": "VALIDATOR_ADMIN_ROLE",
  "policy-admin": "POLICY_ADMIN_ROLE",
  "rate-limit-admin": "RATE_LIMIT_ADMIN_ROLE",
};

export type ContractKey = "verifier" | "registry";
export const CONTRACT_NAMES: Record<ContractKey, string> = { verifier: "IntentVerifier", registry: "SolverRegistry" };

/** Roles each contract defines (besides the default admin), as `--role` names them. */
export const CONTRACT_ROLES: Record<ContractKey, RoleKey[]> = {
  verifier: ["guardian", "validator-admin", "policy-admin", "rate-limit-admin"],
  registry: ["guardian", "rate-limit-admin"],
};

const ROLE_NAMES = new Map<string, string>(
  (Object.keys(ROLES) as RoleKey[]).map((key) => [ROLES[key].toLowerCase(), ROLE_CONSTANTS[key]]),
);

/** The constant's name of a role hash (DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, ...), else the hash. */
export function roleName(hash: string): string {
  return ROLE_NAMES.get(hash.toLowerCase()) ?? hash;
}

/** Mirrors `SolverRegistry.SolverStatus`. */
export const SOLVER_STATUS = ["None", "Active", "Exiting", "Suspended", "Exited"] as const;

export function solverStatusName(status: bigint): string {
  return SOLVER_STATUS[Number(status)] ?? `unknown (${status})`;
}
