// Wraps a task action so that any failure ends as one line on stderr and exit code 1, never a
// stack trace: bad input, reverts and unreachable nodes are the user's to fix, not bugs.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { UserError, describeError } from "./errors.js";

export function taskAction<ArgsT>(run: (args: ArgsT, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: ArgsT, hre: HardhatRuntimeEnvironment) => {
    try {
      await run(args, hre);
      return successfulResult();
    } catch (error) {
      const line = describeError(error);
      const expected = error instanceof UserError || line.startsWith("reverted");
      process.stderr.write(`error: ${line}${expected ? "" : " (set INTENTKIT_DEBUG=1 for details)"}\n`);
      if (process.env.INTENTKIT_DEBUG === "1") process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      return errorResult();
    }
  };
}
