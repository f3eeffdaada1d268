// How a task words a failure for the person who typed it: one line that says what went wrong and
// what to do next. The domain decides what a revert means; this adds what the CLI meets besides
// (an unreachable node, an unfunded account) and tells expected failures from bugs.
import { isError } from "ethers";

import { UserError, describeRevert } from "../../lib/domain/index.js";

export { UserError, registerErrorAbis, roleName, SOLVER_STATUS } from "../../lib/domain/index.js";

export interface DescribedError {
  /** One line (a pipeline failure may add an indented report line). */
  message: string;
  /** Bad input or a state the user can change; false for a bug, whose trace matters. */
  expected: boolean;
}

export function describeError(error: unknown): DescribedError {
  if (error instanceof UserError) return { message: error.message, expected: true };
  const revert = describeRevert(error);
  if (revert !== undefined) return { message: revert, expected: true };
  if (isError(error, "INSUFFICIENT_FUNDS")) {
    return { message: "insufficient funds for gas: fund the sending account", expected: true };
  }
  if (isError(error, "NETWORK_ERROR") || isConnectionRefused(error)) {
    return {
      message:
        "cannot reach the network's JSON-RPC endpoint; is the node running? (start one with `npx hardhat chain start`)",
      expected: true,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message.split("\n")[0], expected: false };
}

function isConnectionRefused(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : "";
  return /ECONNREFUSED|fetch failed|connect ECONN|HHE7\b|Cannot connect to the network/i.test(text);
}
