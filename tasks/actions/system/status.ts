// system status: one view of a live deployment, read from the chain (state and events).
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { roleName } from "../../lib/errors.js";
import { emit, keyValueTable } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface StatusArgs {
  deployment: string;
  json: boolean;
}

const TYPE_NAMES: Record<string, string> = { "1": "transfer", "2": "swap" };

type RoleEventSource = {
  queryFilter(event: unknown, fromBlock: number): Promise<Array<{ eventName?: string; args: unknown }>>;
  filters: Record<string, () => unknown>;
};

/** Role holders rebuilt from RoleGranted/RoleRevoked events (AccessControl does not enumerate). */
async function roleHolders(contract: RoleEventSource, fromBlock: number): Promise<Record<string, string[]>> {
  const granted = await contract.queryFilter(contract.filters.RoleGranted(), fromBlock);
  const revoked = await contract.queryFilter(contract.filters.RoleRevoked(), fromBlock);
  const events = [...granted, ...revoked] as unknown as Array<{
    blockNumber: number;
    index: number;
    eventName: string;
    args: { role: string; account: string };
  }>;
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const holders: Record<string, Set<string>> = {};
  for (const event of events) {
    const name = roleName(event.args.role);
    holders[name] ??= new Set();
    if (event.eventName === "RoleGranted") holders[name].add(event.args.account);
    else holders[name].delete(event.args.account);
  }
  return Object.fromEntries(Object.entries(holders).map(([role, set]) => [role, [...set]]));
}

async function run(args: StatusArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const ctx = await openDeployment(hre, args.deployment);
  const { verifier, registry, record } = ctx;
  const fromBlock = Math.min(...Object.values(record.contracts).map((c) => c.blockNumber));

  const [globalLimit, globalWindow, userLimit, userWindow] = await verifier.rateLimits();
  const [claimLimit, claimWindow] = await registry.claimRateLimit();
  const [maxTtl, claimTtl] = await verifier.timings();
  const [minBond, unbondingPeriod] = await registry.bondParameters();
  const [slashAmount, userShareBps, treasury] = await registry.slashing();

  const policies = new Map<
    string,
    { intentType: string; token: string; allowed: boolean; minAmount: bigint; maxAmount: bigint }
  >();
  for (const event of await verifier.queryFilter(verifier.filters.TokenPolicySet(), fromBlock)) {
    const { intentType, token, allowed, minAmount, maxAmount } = event.args;
    policies.set(`${intentType}:${token}`, {
      intentType: TYPE_NAMES[String(intentType)],
      token,
      allowed,
      minAmount,
      maxAmount,
    });
  }
  const count = async (filter: Parameters<typeof verifier.queryFilter>[0]) =>
    (await verifier.queryFilter(filter, fromBlock)).length;

  const status = {
    deployment: record.deploymentId,
    network: ctx.networkName,
    chainId: ctx.chainId,
    contracts: {
      IntentVerifier: verifier.target,
      SolverRegistry: registry.target,
      stakeToken: record.stakeToken,
      ...Object.fromEntries(Object.entries(record.mockTokens).map(([s, a]) => [`mock ${s}`, a])),
    },
    paused: { verifier: await verifier.paused(), registry: await registry.paused() },
    admin: { verifier: await verifier.defaultAdmin(), registry: await registry.defaultAdmin() },
    roles: {
      verifier: await roleHolders(verifier as unknown as RoleEventSource, fromBlock),
      registry: await roleHolders(registry as unknown as RoleEventSource, fromBlock),
    },
    rateLimits: {
      user: { limit: userLimit, window: userWindow },
      global: { limit: globalLimit, window: globalWindow },
      solverClaims: { limit: claimLimit, window: claimWindow },
      maxActiveClaims: await registry.maxActiveClaims(),
    },
    bounds: {
      maxTtl,
      claimTtl,
      minBond,
      unbondingPeriod,
      slashAmount,
      slashUserShareBps: userShareBps,
      treasury,
      intentTypesEnabled: {
        transfer: await verifier.isIntentTypeEnabled(1),
        swap: await verifier.isIntentTypeEnabled(2),
      },
      validators: { transfer: await verifier.validatorOf(1), swap: await verifier.validatorOf(2) },
      tokenPolicies: [...policies.values()],
    },
    counts: {
      submitted: await count(verifier.filters.IntentSubmitted()),
      claims: await count(verifier.filters.IntentClaimed()),
      completed: await count(verifier.filters.IntentCompleted()),
      failedClaims: await count(verifier.filters.ClaimFailed()),
      cancelled: await count(verifier.filters.IntentCancelled()),
      expired: await count(verifier.filters.IntentExpired()),
      solversRegistered: (await registry.queryFilter(registry.filters.SolverRegistered(), fromBlock)).length,
    },
  };
  const stake = await resolveToken(ctx, "stake-token", record.stakeToken);
  const tokens = new Map<string, Awaited<ReturnType<typeof resolveToken>>>();
  for (const policy of status.bounds.tokenPolicies) {
    if (!tokens.has(policy.token)) tokens.set(policy.token, await resolveToken(ctx, "token", policy.token));
  }
  emit(args.json, status, () =>
    keyValueTable({
      deployment: `${status.deployment} on ${status.network} (chain ${status.chainId})`,
      ...Object.fromEntries(Object.entries(status.contracts).map(([k, v]) => [k, v])),
      paused: `verifier ${status.paused.verifier}, registry ${status.paused.registry}`,
      "default admin": `verifier ${status.admin.verifier}, registry ${status.admin.registry}`,
      ...Object.fromEntries(Object.entries(status.roles.verifier).map(([r, a]) => [`verifier ${r}`, a])),
      ...Object.fromEntries(Object.entries(status.roles.registry).map(([r, a]) => [`registry ${r}`, a])),
      "user rate limit": `${userLimit} per ${userWindow} s`,
      "global rate limit": `${globalLimit} per ${globalWindow} s`,
      "solver claim limit": `${claimLimit} per ${claimWindow} s, at most ${status.rateLimits.maxActiveClaims} in flight`,
      "intent lifetime": `at most ${maxTtl} s; claims last ${claimTtl} s`,
      bond: `at least ${stake.format(minBond)}; unbonding ${unbondingPeriod} s`,
      slash: `${stake.format(slashAmount)} (${Number(userShareBps) / 100}% to the user, rest to ${treasury})`,
      "token policies": status.bounds.tokenPolicies.map((p) => {
        const token = tokens.get(p.token)!;
        const bounds = `[${token.format(p.minAmount)}, ${token.format(p.maxAmount)}]`;
        return `${p.intentType} ${token.symbol} ${p.token} ${p.allowed ? bounds : "disallowed"}`;
      }),
      intents: Object.entries(status.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    }),
  );
}

export default taskAction(run);
