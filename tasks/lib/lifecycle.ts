// Shared by the lifecycle tasks (claim, fulfil, cancel, fail, expire): send a transaction that a
// simulation has accepted, then report the intent's new status.
import type { ContractTransactionResponse } from "ethers";

import type { DeploymentContext } from "./context.js";
import { UserError } from "./errors.js";
import { intentView, loadIntent } from "./intent.js";
import { emit, keyValueTable } from "./output.js";

export async function sendAndReport(
  ctx: DeploymentContext,
  json: boolean,
  id: string,
  send: () => Promise<ContractTransactionResponse>,
): Promise<void> {
  const receipt = await (await send()).wait();
  if (receipt === null) throw new UserError("the transaction was dropped");
  const view = { ...intentView(await loadIntent(ctx, id)), transaction: receipt.hash };
  emit(json, view, () => keyValueTable(view));
}

export function requireStatus(id: string, status: string, allowed: string[], hint = ""): void {
  if (!allowed.includes(status)) {
    throw new UserError(`intent ${id} is ${status}; this needs it ${allowed.join(" or ")}${hint}`);
  }
}
