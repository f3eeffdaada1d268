// What the operating-task tests share beyond the harness: the bad-input assertion (one error
// line, non-zero exit, nothing sent by the acting account), and direct chain access for setup
// and for checking effects independently of the tasks under test.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, Interface, getAddress, type InterfaceAbi } from "ethers";

import { ROOT, type TaskRun } from "./harness.js";

/** A node with intentkit on it whose tasks can be run: in-process (TaskEnv) or as subprocesses (TaskChain). */
export interface TaskChain {
  run(task: string, args?: string[]): Promise<TaskRun>;
  nonce(address: string): Promise<number>;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

/** The task fails with exactly one `error: ` line matching `message`, and `account` sends nothing. */
export async function expectRejected(
  t: TaskChain,
  account: string,
  task: string,
  args: string[],
  message: RegExp,
): Promise<string> {
  const nonce = await t.nonce(account);
  const result = await t.run(task, args);
  expect(result.code, `${task} ${args.join(" ")} exited 0: ${result.stdout}`).to.not.equal(0);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^error: /);
  expect(lines[0]).to.match(message);
  expect(await t.nonce(account), `${task} sent a transaction from ${account}`).to.equal(nonce);
  return lines[0];
}

async function artifact(source: string, name: string): Promise<{ abi: InterfaceAbi; bytecode: string }> {
  return JSON.parse(await readFile(path.join(ROOT, "artifacts", "contracts", source, `${name}.json`), "utf8"));
}

/** Sends a transaction from one of the node's unlocked accounts and waits for its receipt. */
export async function send(
  t: TaskChain,
  from: string,
  to: string | null,
  data: string,
  extra: Record<string, string> = {},
): Promise<any> {
  const hash = await t.rpc<string>("eth_sendTransaction", [{ from, ...(to ? { to } : {}), data, ...extra }]);
  let receipt = await t.rpc<any>("eth_getTransactionReceipt", [hash]);
  for (let tries = 0; receipt === null && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    receipt = await t.rpc<any>("eth_getTransactionReceipt", [hash]);
  }
  if (receipt?.status !== "0x1") {
    const why = await t
      .rpc("eth_call", [{ from, ...(to ? { to } : {}), data }, "latest"])
      .catch((e: Error) => e.message);
    expect.fail(`transaction ${hash} failed (status ${receipt?.status}): ${String(why)}`);
  }
  return receipt;
}

/** Deploys a contract of this project (e.g. a test mock) outside any deployment record. */
export async function deploy(
  t: TaskChain,
  from: string,
  source: string,
  name: string,
  args: unknown[],
): Promise<string> {
  const { abi, bytecode } = await artifact(source, name);
  const receipt = await send(t, from, null, bytecode + new Interface(abi).encodeDeploy(args).slice(2));
  return getAddress(receipt.contractAddress);
}

/** A read-only call with a human-readable signature, e.g. "function isBlocked(address) view returns (bool)". */
export async function call(t: TaskChain, to: string, signature: string, args: unknown[] = []): Promise<any> {
  const iface = new Interface([signature]);
  const fragment = iface.fragments[0] as any;
  const data = iface.encodeFunctionData(fragment.name, args);
  const result = await t.rpc<string>("eth_call", [{ to, data }, "latest"]);
  const decoded = iface.decodeFunctionResult(fragment.name, result);
  return decoded.length === 1 ? decoded[0] : decoded;
}

export async function chainTime(t: TaskChain): Promise<number> {
  const block = await t.rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return Number(block.timestamp);
}

const SUBMIT = new Interface([
  "function submit((address user, uint8 intentType, uint64 nonce, uint40 expiry, bytes params) intent) returns (bytes32)",
]);

/** Calldata of a transfer intent of 1 base unit of `token`, submitted by its `user` (no signature needed). */
export async function transferIntent(
  t: TaskChain,
  user: string,
  token: string,
  recipient: string,
  nonce: number,
): Promise<string> {
  const params = AbiCoder.defaultAbiCoder().encode(["address", "uint256", "address"], [token, 1n, recipient]);
  const expiry = (await chainTime(t)) + 3600;
  return SUBMIT.encodeFunctionData("submit", [[user, 1, nonce, expiry, params]]);
}

/**
 * Submits a transfer intent as `user`. The gas is fixed: the node's own estimate is the exact
 * minimum, and the rate-limit arithmetic costs a few gas more or less depending on the block's
 * timestamp, so a submission sent with the estimate can run out of gas in a later block.
 */
export async function submitTransfer(
  t: TaskChain,
  verifier: string,
  user: string,
  token: string,
  recipient: string,
  nonce: number,
): Promise<void> {
  await send(t, user, verifier, await transferIntent(t, user, token, recipient, nonce), { gas: "0x1e8480" });
}

export const E18 = 10n ** 18n;
