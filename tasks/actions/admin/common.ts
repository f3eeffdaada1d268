// Actions that come in pairs (pause/unpause, grant/revoke, suspend/reinstate): one
// implementation each, parameterized by direction; the task modules are thin wrappers.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { parseAddress, parseChoice } from "../../lib/args.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import {
  CONTRACT_NAMES,
  CONTRACT_ROLES,
  ROLES,
  ROLE_CONSTANTS,
  checkFrom,
  contractOf,
  describeContract,
  mined,
  requireRole,
  solverStatusName,
  type ContractKey,
  type RoleKey,
} from "../../lib/ops.js";
import { emit, rowsTable } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

export interface TargetArgs {
  target: string;
  from: string;
  deployment: string;
  json: boolean;
}

/** admin pause / admin unpause: every target already in the requested state is skipped. */
export async function setPaused(args: TargetArgs, hre: HardhatRuntimeEnvironment, pause: boolean): Promise<void> {
  const target = parseChoice("target", args.target, ["verifier", "registry", "all"] as const);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const keys: ContractKey[] = target === "all" ? ["verifier", "registry"] : [target];
  const todo: ContractKey[] = [];
  for (const key of keys) if ((await contractOf(ctx, key).paused()) !== pause) todo.push(key);
  // Every role is checked before the first transaction, so a missing role changes nothing.
  for (const key of todo) await requireRole(ctx, key, "guardian", signer.address);

  const results: Array<{
    contract: string;
    address: string;
    paused: boolean;
    changed: boolean;
    transaction: string | null;
  }> = [];
  for (const key of keys) {
    let transaction: string | null = null;
    if (todo.includes(key)) {
      const contract = key === "verifier" ? ctx.verifier.connect(signer) : ctx.registry.connect(signer);
      transaction = (await mined(pause ? contract.pause() : contract.unpause())).hash;
    }
    results.push({
      contract: CONTRACT_NAMES[key],
      address: String(contractOf(ctx, key).target),
      paused: await contractOf(ctx, key).paused(),
      changed: transaction !== null,
      transaction,
    });
  }
  const word = pause ? "paused" : "unpaused";
  emit(args.json, results, () =>
    rowsTable(
      results.map((r) => ({
        contract: `${r.contract} ${r.address}`,
        result: r.changed ? word : `already ${word}; skipped`,
        transaction: r.transaction,
      })),
    ),
  );
}

export interface RoleArgs {
  contract: string;
  role: string;
  account: string;
  from: string;
  deployment: string;
  json: boolean;
}

/** admin grant-role / admin revoke-role. Granting a held role or revoking an absent one sends nothing. */
export async function setRole(args: RoleArgs, hre: HardhatRuntimeEnvironment, grant: boolean): Promise<void> {
  const key = parseChoice("contract", args.contract, ["verifier", "registry"] as const);
  const role = parseChoice<RoleKey>("role", args.role, [
    "guardian",
    "validator-admin",
    "policy-admin",
    "rate-limit-admin",
  ]);
  if (!CONTRACT_ROLES[key].includes(role)) {
    throw new UserError(
      `--role: ${CONTRACT_NAMES[key]} has no ${role} role (${ROLE_CONSTANTS[role]}); its roles are ${CONTRACT_ROLES[key].join(", ")}`,
    );
  }
  const account = parseAddress("account", args.account);
  if (account === ZeroAddress) throw new UserError("--account: the zero address cannot hold a role");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const contract = key === "verifier" ? ctx.verifier : ctx.registry;
  await requireRole(ctx, key, await contract.getRoleAdmin(ROLES[role]), signer.address);
  const held = await contract.hasRole(ROLES[role], account);
  let transaction: string | null = null;
  if (held !== grant) {
    const connected = contract.connect(signer);
    transaction = (
      await mined(grant ? connected.grantRole(ROLES[role], account) : connected.revokeRole(ROLES[role], account))
    ).hash;
  }
  const holds = await contract.hasRole(ROLES[role], account);
  const where = describeContract(ctx, key);
  emit(
    args.json,
    {
      contract: CONTRACT_NAMES[key],
      address: String(contract.target),
      role: ROLE_CONSTANTS[role],
      account,
      holds,
      transaction,
    },
    () =>
      transaction === null
        ? `${account} ${holds ? "already holds" : "does not hold"} ${ROLE_CONSTANTS[role]} on ${where}; nothing sent`
        : `${grant ? "granted" : "revoked"} ${ROLE_CONSTANTS[role]} on ${where} ${grant ? "to" : "from"} ${account}`,
  );
}

export interface SolverArgs {
  solver: string;
  from: string;
  deployment: string;
  json: boolean;
}

/** admin suspend-solver / admin reinstate-solver. */
export async function setSuspended(args: SolverArgs, hre: HardhatRuntimeEnvironment, suspend: boolean): Promise<void> {
  const solver = parseAddress("solver", args.solver);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "registry", "guardian", signer.address);
  const info = await ctx.registry.getSolver(solver);
  const status = solverStatusName(info.status);
  const needed = suspend ? "Active" : "Suspended";
  if (status !== needed) {
    throw new UserError(
      `solver ${solver} is ${status === "None" ? "not registered" : status}; only ${needed.toLowerCase()} solvers can be ${suspend ? "suspended" : "reinstated"}`,
    );
  }
  if (!suspend) {
    const [minBond] = await ctx.registry.bondParameters();
    if (info.bond < minBond) {
      const stake = await resolveToken(ctx, "stake-token", ctx.record.stakeToken);
      throw new UserError(
        `insufficient bond: solver ${solver} holds ${stake.format(info.bond)}, below the minimum bond of ${stake.format(minBond)}; it must top up first (\`npx hardhat solver topup\`)`,
      );
    }
  }
  const connected = ctx.registry.connect(signer);
  const sent = await mined(suspend ? connected.suspend(solver) : connected.reinstate(solver));
  const now = solverStatusName((await ctx.registry.getSolver(solver)).status);
  emit(
    args.json,
    { solver, status: now, previous: status, transaction: sent.hash },
    () => `solver ${solver}: ${status} -> ${now}`,
  );
}
