// Wraps a task action in the error contract. Bad input and refusals (a UserError, a decoded
// revert, an unreachable node) end as one `error:` line on the task's stderr and exit code 1,
// with nothing sent. Anything else is a bug: it goes to Hardhat as a plugin error of
// "intentkit", which Hardhat prints with the advice to rerun with `--show-stack-traces`, and
// with its trace when that is given (Hardhat always gives it under CI). An expected error shows
// its trace too when a person asks for it with `--show-stack-traces`; under CI, where Hardhat
// turns the option on by itself, bad input stays one line unless the flag is on the command line.
import { HardhatError, HardhatPluginError } from "@nomicfoundation/hardhat-errors";
import { isCi } from "@nomicfoundation/hardhat-utils/ci";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { PLUGIN_ID, UserError } from "../../lib/domain/index.js";
import { describeError } from "./errors.js";
import { printError } from "./output.js";

/** The arguments as Hardhat passes them: an option without a default is undefined when absent. */
export type TaskArgs<ArgsT> = { [K in keyof ArgsT]: ArgsT[K] extends string ? ArgsT[K] | undefined : ArgsT[K] };

export function taskAction<ArgsT>(run: (args: ArgsT, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: TaskArgs<ArgsT>, hre: HardhatRuntimeEnvironment) => {
    try {
      await run(present(args), hre);
      return successfulResult();
    } catch (error) {
      const { message, expected } = describeError(error);
      if (!expected) {
        // Hardhat's own errors already say what to do, in Hardhat's words.
        if (HardhatError.isHardhatError(error)) throw error;
        throw new HardhatPluginError(PLUGIN_ID, message, error instanceof Error ? error : undefined);
      }
      if (stackTracesAsked(hre)) {
        throw error instanceof UserError ? error : new UserError(message, error instanceof Error ? error : undefined);
      }
      printError(`error: ${message}`);
      return errorResult();
    }
  };
}

/** Options without a default arrive as undefined when absent; the actions' checks read "". */
function present<ArgsT>(args: TaskArgs<ArgsT>): ArgsT {
  const entries = Object.entries(args as Record<string, unknown>).map(([key, value]) => [key, value ?? ""]);
  return Object.fromEntries(entries) as ArgsT;
}

function stackTracesAsked(hre: HardhatRuntimeEnvironment): boolean {
  if (!hre.globalOptions.showStackTraces) return false;
  return !isCi() || process.argv.includes("--show-stack-traces");
}
