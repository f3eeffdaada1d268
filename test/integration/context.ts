// The integration suite's connection to a live deployment, read from a deployment manifest
// (scripts/pipeline/deploy/manifest.ts) named by INTENTKIT_INTEGRATION_MANIFEST: an ethers
// JsonRpcProvider on manifest.rpcUrl, the typechain contracts at the manifest's addresses, the
// deployer's signer, and fresh accounts the suite funds itself.
//
// Nothing here assumes a fresh chain: every actor is a new random account (funded with ETH by the
// deployer and with the deployment's mock tokens, which anyone may mint), nonces are read from the
// verifier, and limits, timings and bonds from the contracts. The suite can run again and again
// on the same deployment, and leaves the system unpaused.
//
// The deployer is the node's unlocked account manifest.deployer (account 0 of a local node); on a
// node without it, INTENTKIT_DEPLOYER_KEY (the variable the `sepolia` network reads) supplies its
// key. Time moves with evm_increaseTime + evm_mine where the node allows it (anvil, hardhat node);
// elsewhere the suite waits in real time for a block past the target, with test timeouts to match.
//
// Importing this module registers the suite's root hooks: `before` connects (failing with one
// line when the manifest or the node is unusable) and `after` unpauses anything left paused,
// returns the actors' unspent ETH to the deployer and closes the provider.
import { readFileSync } from "node:fs";

import { expect } from "chai";
import {
  AbstractSigner,
  JsonRpcProvider,
  Network,
  TypedDataEncoder,
  Wallet,
  getAddress,
  isError,
  type BaseContract,
  type ContractTransactionReceipt,
  type Interface,
  type Result,
  type TransactionRequest,
} from "ethers";

import {
  INTENT_EIP712_TYPES,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  encodeSwap,
  encodeTransfer,
  signIntent,
  type Fulfillment,
  type Intent,
} from "../../scripts/lib/intents.js";
import type { DeploymentManifest } from "../../scripts/pipeline/deploy/manifest.js";
import { MANIFEST_ENV } from "../../scripts/pipeline/integration/command.js";
import {
  IntentVerifier__factory,
  MockERC20__factory,
  SolverRegistry__factory,
  type IntentVerifier,
  type MockERC20,
  type SolverRegistry,
} from "../../types/ethers-contracts/index.js";
import type { ContractMethodArgs, TypedContractMethod } from "../../types/ethers-contracts/common.js";

export const DEPLOYER_KEY_ENV = "INTENTKIT_DEPLOYER_KEY";
/** The node's URL when the manifest's deployment is on a configured network. */
export const RPC_URL_ENV = "INTENTKIT_INTEGRATION_RPC_URL";
export const E18 = 10n ** 18n;

/** Mirrors `SolverRegistry.SolverStatus`. */
export const SolverStatus = { None: 0n, Active: 1n, Exiting: 2n, Suspended: 3n, Exited: 4n } as const;

/** A setup failure: reported as its one line, without a stack trace. */
export class IntegrationSetupError extends Error {
  override name = "IntegrationSetupError";
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

export type Actor = Wallet;

export interface IntegrationContext {
  manifest: DeploymentManifest;
  provider: JsonRpcProvider;
  chainId: bigint;
  /** manifest.deployer, holder of every role. */
  deployer: AbstractSigner;
  deployerAddress: string;
  verifier: IntentVerifier;
  registry: SolverRegistry;
  /** The deployment's mock tokens (manifest.contracts MockSTK, MockWETH, MockUSDC). */
  stk: MockERC20;
  weth: MockERC20;
  usdc: MockERC20;
  /** Whether the node moves its clock on request (evm_increaseTime); otherwise the suite waits. */
  timeTravel: boolean;
  /** Fresh accounts, each funded with ETH for about `gasBudget` gas, in one batch of transfers. */
  accounts(count: number, gasBudget?: bigint): Promise<Actor[]>;
  /** `actor` mints `amount` of `token` to itself and approves `spender` for it. */
  mintAndApprove(actor: Actor, token: MockERC20, amount: bigint, spender?: string): Promise<void>;
  /** A fresh account bonded as a solver with `bond` (default: the current minBond). */
  bondedSolver(bond?: bigint): Promise<Actor>;
  /** Timestamp of the latest block. */
  latest(): Promise<bigint>;
  /** Moves the chain to a block at or after `timestamp` (time travel, or waiting). */
  advanceTo(timestamp: bigint): Promise<void>;
  /** How long a test that waits `seconds` of chain time may take, in ms. */
  timeoutFor(seconds: bigint): number;
  /** An intent of `user` with its next nonce (read from the verifier) and `ttl` seconds to live. */
  transferIntent(user: string, token: MockERC20, amount: bigint, recipient: string, ttl?: bigint): Promise<Intent>;
  swapIntent(
    user: string,
    tokenIn: MockERC20,
    amountIn: bigint,
    tokenOut: MockERC20,
    minAmountOut: bigint,
    recipient: string,
    ttl?: bigint,
  ): Promise<Intent>;
  /** An amount of `token` the deployment's token policy accepts for `intentType`, near `preferred`. */
  policyAmount(intentType: number, token: MockERC20, preferred: bigint): Promise<bigint>;
  /** The intent's id: its EIP-712 digest under the verifier's domain. */
  intentId(intent: Intent): string;
  sign(user: Actor, intent: Intent): Promise<string>;
  /** Submits `intent` as its user; returns the receipt and the id. */
  submit(user: Actor, intent: Intent): Promise<{ receipt: ContractTransactionReceipt; id: string }>;
  /** Submits and claims: the intent is Executing for `solver`. */
  submitAndClaim(
    user: Actor,
    solver: Actor,
    intent: Intent,
  ): Promise<{ id: string; claim: ContractTransactionReceipt }>;
}

// ---------------------------------------------------------------- manifest (read at load time)

type Loaded = { manifest: DeploymentManifest; error?: undefined } | { manifest?: undefined; error: string };

function loadManifest(): Loaded {
  const file = process.env[MANIFEST_ENV];
  if (file === undefined || file === "") {
    return { error: `${MANIFEST_ENV} is not set; point it at a deployment manifest (JSON, type DeploymentManifest)` };
  }
  let manifest: DeploymentManifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as DeploymentManifest;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : (error as Error).message.split("\n")[0];
    return { error: `cannot read the deployment manifest ${file} (${MANIFEST_ENV}): ${reason}` };
  }
  if (typeof manifest !== "object" || manifest === null) {
    return { error: `the deployment manifest ${file} (${MANIFEST_ENV}) is not a JSON object` };
  }
  const missing = [
    typeof manifest.rpcUrl !== "string" && "rpcUrl",
    typeof manifest.chainId !== "number" && "chainId",
    typeof manifest.deployer !== "string" && "deployer",
    ...["IntentVerifier", "SolverRegistry", "MockSTK", "MockWETH", "MockUSDC"].map(
      (name) => typeof manifest.contracts?.[name]?.address !== "string" && `contracts.${name}`,
    ),
  ].filter((field): field is string => field !== false);
  if (missing.length > 0) {
    return {
      error: `the deployment manifest ${file} lacks ${missing.join(", ")} (the suite needs the system and its mock tokens)`,
    };
  }
  return { manifest };
}

const loaded = loadManifest();

/**
 * Mocha timeout of one integration test, in ms: a minute on a local node; on any other network
 * transactions wait for real blocks, so ten minutes (tests that wait out a claim window add it).
 */
export const TEST_TIMEOUT = loaded.manifest === undefined || loaded.manifest.local ? 60_000 : 600_000;

// ---------------------------------------------------------------- helpers on receipts and reverts

/** 20 % over the node's estimate, as the tasks send: a submission's gas depends on when it is mined. */
const GAS_MARGIN_PCT = 120n;

/**
 * Sends a contract call with a gas margin and waits for it to be mined successfully. A call the
 * node would revert fails in the estimate, before anything is sent, with the decoded error.
 */
export async function send<A extends unknown[], R>(
  method: TypedContractMethod<A, R, "nonpayable">,
  ...args: A
): Promise<ContractTransactionReceipt> {
  const gasLimit =
    ((await method.estimateGas(...(args as ContractMethodArgs<A, "nonpayable">))) * GAS_MARGIN_PCT) / 100n;
  const response = await method.send(...([...args, { gasLimit }] as ContractMethodArgs<A, "nonpayable">));
  const receipt = await response.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${response.hash} failed`);
  return receipt;
}

/** The arguments of every `name` event `contract` emitted in `receipt`. */
export function eventsOf(receipt: ContractTransactionReceipt, contract: BaseContract, name: string): Result[] {
  const address = getAddress(contract.target as string);
  const found: Result[] = [];
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) found.push(parsed.args);
  }
  return found;
}

/** The arguments of the one `name` event of `contract` in `receipt` (fails unless exactly one). */
export function eventOf(receipt: ContractTransactionReceipt, contract: BaseContract, name: string): Result {
  const found = eventsOf(receipt, contract, name);
  expect(found, `${name} events in transaction ${receipt.hash}`).to.have.length(1);
  return found[0];
}

function revertData(error: unknown): string | undefined {
  if (isError(error, "CALL_EXCEPTION") && typeof error.data === "string") return error.data;
  const nested = (error as { info?: { error?: { data?: unknown } }; error?: { data?: unknown } }) ?? {};
  const data = nested.info?.error?.data ?? nested.error?.data;
  return typeof data === "string" ? data : undefined;
}

/**
 * Awaits `action`, which must revert with the custom error `name` of `contract`'s ABI; returns
 * the error's arguments.
 */
export async function expectRevert(
  action: Promise<unknown>,
  contract: { interface: Interface },
  name: string,
): Promise<Result> {
  try {
    await action;
  } catch (error) {
    const data = revertData(error);
    const parsed = data === undefined ? null : contract.interface.parseError(data);
    if (parsed === null) {
      expect.fail(`expected a revert with ${name}, got: ${(error as Error).message.split("\n")[0]}`);
    }
    expect(parsed.name, `the revert (${parsed.signature})`).to.equal(name);
    return parsed.args;
  }
  return expect.fail(`expected a revert with ${name}, but the call succeeded`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the context

let context: IntegrationContext | undefined;
const actors: Actor[] = [];

/** The connected context; available in tests and hooks once the root `before` has run. */
export function ctx(): IntegrationContext {
  if (context === undefined) throw new IntegrationSetupError("the integration context is not set up");
  return context;
}

async function connect(manifest: DeploymentManifest): Promise<IntegrationContext> {
  // A configured network's URL (which may embed an API key) is never written to the manifest;
  // the integration stage passes it in the environment instead.
  const url = process.env[RPC_URL_ENV] || manifest.rpcUrl;
  const provider = new JsonRpcProvider(url, Network.from(manifest.chainId), {
    staticNetwork: true,
    // A local node mines each transaction at once; a public one every few seconds.
    pollingInterval: manifest.local ? 50 : 2_000,
    cacheTimeout: -1,
  });
  let chainId: bigint;
  try {
    chainId = BigInt(await provider.send("eth_chainId", []));
  } catch (error) {
    provider.destroy();
    throw new IntegrationSetupError(`cannot reach the node at ${url}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (chainId !== BigInt(manifest.chainId)) {
    provider.destroy();
    throw new IntegrationSetupError(
      `the node at ${url} is chain ${chainId}, but the manifest's deployment is on chain ${manifest.chainId}`,
    );
  }

  const deployerAddress = getAddress(manifest.deployer);
  const unlocked = ((await provider.send("eth_accounts", [])) as string[]).map((a) => getAddress(a));
  let deployer: AbstractSigner;
  if (unlocked.includes(deployerAddress)) {
    deployer = await provider.getSigner(deployerAddress);
  } else if (process.env[DEPLOYER_KEY_ENV]) {
    deployer = new Wallet(process.env[DEPLOYER_KEY_ENV], provider);
    if ((await deployer.getAddress()) !== deployerAddress) {
      provider.destroy();
      throw new IntegrationSetupError(`${DEPLOYER_KEY_ENV} is not the key of the deployer ${deployerAddress}`);
    }
  } else {
    provider.destroy();
    throw new IntegrationSetupError(
      `the node at ${url} has no unlocked account ${deployerAddress} (the deployer); set ${DEPLOYER_KEY_ENV}`,
    );
  }

  let timeTravel = true;
  try {
    await provider.send("evm_increaseTime", [0]);
  } catch {
    timeTravel = false;
  }

  const at = (name: string) => manifest.contracts[name].address;
  const verifier = IntentVerifier__factory.connect(at("IntentVerifier"), provider);
  const registry = SolverRegistry__factory.connect(at("SolverRegistry"), provider);
  const token = (name: string) => MockERC20__factory.connect(at(name), provider);
  const [stk, weth, usdc] = [token("MockSTK"), token("MockWETH"), token("MockUSDC")];
  const verifierAddress = getAddress(at("IntentVerifier"));
  const domain = { name: "IntentKit", version: "1", chainId, verifyingContract: verifierAddress };

  const latest = async () => BigInt((await provider.getBlock("latest"))!.timestamp);

  async function accounts(count: number, gasBudget = 2_000_000n): Promise<Actor[]> {
    const fees = await provider.getFeeData();
    const perGas = fees.maxFeePerGas ?? fees.gasPrice ?? 10n ** 9n;
    // Twice the current fee per gas: room for a rising base fee, and for the gas limits with
    // margin that the node reserves (not spends) at each send.
    const value = perGas * 2n * gasBudget;
    const created = Array.from({ length: count }, () => new Wallet(Wallet.createRandom().privateKey, provider));
    let nonce = await provider.getTransactionCount(deployerAddress, "pending");
    const sent = [];
    for (const wallet of created) {
      sent.push(await deployer.sendTransaction({ to: wallet.address, value, gasLimit: 21_000n, nonce: nonce++ }));
    }
    for (const tx of sent) {
      const receipt = await tx.wait();
      if (receipt?.status !== 1) throw new Error(`funding transfer ${tx.hash} failed`);
    }
    actors.push(...created);
    return created;
  }

  async function mintAndApprove(actor: Actor, tokenContract: MockERC20, amount: bigint, spender = verifierAddress) {
    const own = tokenContract.connect(actor);
    await send(own.mint, actor.address, amount);
    await send(own.approve, spender, amount);
  }

  async function bondedSolver(bond?: bigint): Promise<Actor> {
    const [solver] = await accounts(1);
    const amount = bond ?? (await registry.bondParameters()).minBond;
    await mintAndApprove(solver, stk, amount, await registry.getAddress());
    await send(registry.connect(solver).register, amount);
    return solver;
  }

  async function advanceTo(timestamp: bigint): Promise<void> {
    const now = await latest();
    if (now >= timestamp) return;
    if (timeTravel) {
      await provider.send("evm_increaseTime", [Number(timestamp - now)]);
      await provider.send("evm_mine", []);
    }
    // Without time travel (and as a check with it): wait for a block at or past the target.
    while ((await latest()) < timestamp) await sleep(manifest.local ? 100 : 3_000);
  }

  const timeoutFor = (seconds: bigint) => TEST_TIMEOUT + (timeTravel ? 0 : Number(seconds) * 1_000);

  async function defaultTtl(): Promise<bigint> {
    const { maxTtl, claimTtl } = await verifier.timings();
    const wanted = claimTtl + 3_600n;
    return wanted < maxTtl ? wanted : maxTtl;
  }

  async function policyAmount(intentType: number, tokenContract: MockERC20, preferred: bigint): Promise<bigint> {
    const address = await tokenContract.getAddress();
    const { allowed, minAmount, maxAmount } = await verifier.tokenPolicy(intentType, address);
    if (!allowed) throw new Error(`the deployment allows no intents of type ${intentType} in ${address}`);
    return preferred < minAmount ? minAmount : preferred > maxAmount ? maxAmount : preferred;
  }

  async function transferIntent(
    user: string,
    tokenContract: MockERC20,
    amount: bigint,
    recipient: string,
    ttl?: bigint,
  ): Promise<Intent> {
    return {
      user,
      intentType: INTENT_TYPE_TRANSFER,
      nonce: await verifier.nextNonce(user),
      expiry: (await latest()) + (ttl ?? (await defaultTtl())),
      params: encodeTransfer(await tokenContract.getAddress(), amount, recipient),
    };
  }

  async function swapIntent(
    user: string,
    tokenIn: MockERC20,
    amountIn: bigint,
    tokenOut: MockERC20,
    minAmountOut: bigint,
    recipient: string,
    ttl?: bigint,
  ): Promise<Intent> {
    return {
      user,
      intentType: INTENT_TYPE_SWAP,
      nonce: await verifier.nextNonce(user),
      expiry: (await latest()) + (ttl ?? (await defaultTtl())),
      params: encodeSwap(await tokenIn.getAddress(), amountIn, await tokenOut.getAddress(), minAmountOut, recipient),
    };
  }

  const intentId = (intent: Intent) => TypedDataEncoder.hash(domain, INTENT_EIP712_TYPES, intent);

  async function submit(user: Actor, intent: Intent) {
    const receipt = await send(verifier.connect(user).submit, intent);
    return { receipt, id: intentId(intent) };
  }

  async function submitAndClaim(user: Actor, solver: Actor, intent: Intent) {
    const { id } = await submit(user, intent);
    const claim = await send(verifier.connect(solver).claim, id);
    return { id, claim };
  }

  return {
    manifest,
    provider,
    chainId,
    deployer,
    deployerAddress,
    verifier,
    registry,
    stk,
    weth,
    usdc,
    timeTravel,
    accounts,
    mintAndApprove,
    bondedSolver,
    latest,
    advanceTo,
    timeoutFor,
    transferIntent,
    swapIntent,
    policyAmount,
    intentId,
    sign: (user, intent) => signIntent(user, verifierAddress, chainId, intent),
    submit,
    submitAndClaim,
  };
}

/** A fulfilment with nothing reported but the gas and cost the solver claims. */
export function fulfillment(amountOut: bigint, gasUsed = 90_000n, totalCost = 90_000n * 10n ** 9n): Fulfillment {
  return { amountOut, gasUsed, totalCost, refs: [] };
}

/** Returns what is left of each actor's ETH to the deployer (best effort: leftovers are logged). */
async function sweep(c: IntegrationContext): Promise<void> {
  const fees = await c.provider.getFeeData();
  const results = await Promise.allSettled(
    actors.map(async (actor) => {
      const balance = await c.provider.getBalance(actor.address);
      const request: TransactionRequest =
        fees.maxFeePerGas !== null
          ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n }
          : { type: 0, gasPrice: fees.gasPrice ?? 0n };
      const fee = 21_000n * (fees.maxFeePerGas ?? fees.gasPrice ?? 0n);
      if (balance <= 2n * fee) return;
      await (
        await actor.sendTransaction({ ...request, to: c.deployerAddress, value: balance - fee, gasLimit: 21_000n })
      ).wait();
    }),
  );
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed > 0) console.warn(`    (could not return the ETH of ${failed} suite account(s) to the deployer)`);
}

// ---------------------------------------------------------------- root hooks

before("connect to the deployment in the manifest", async function () {
  if (loaded.error !== undefined) throw new IntegrationSetupError(loaded.error);
  context = await connect(loaded.manifest);
  const paused = [
    (await context.verifier.paused()) && "IntentVerifier",
    (await context.registry.paused()) && "SolverRegistry",
  ].filter(Boolean);
  if (paused.length > 0) {
    throw new IntegrationSetupError(`the deployment is paused (${paused.join(", ")}); the suite needs it running`);
  }
});

after("leave the system unpaused, return unspent ETH, disconnect", async function () {
  if (context === undefined) return;
  const c = context;
  this.timeout(TEST_TIMEOUT);
  try {
    for (const contract of [c.verifier, c.registry]) {
      if (await contract.paused()) await send(contract.connect(c.deployer).unpause);
    }
    await sweep(c);
  } finally {
    c.provider.destroy();
  }
});
