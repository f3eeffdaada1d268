// The error a person can act on: bad input, or a chain state that refuses the action. It is a
// Hardhat plugin error (plugin "intentkit"), so wherever it escapes to Hardhat's CLI it is shown
// the way Hardhat shows a plugin's errors, with its trace under `--show-stack-traces`.
import { HardhatPluginError } from "@nomicfoundation/hardhat-errors";

export const PLUGIN_ID = "intentkit";

export class UserError extends HardhatPluginError {
  constructor(message: string, cause?: Error) {
    super(PLUGIN_ID, message, cause);
    this.name = "UserError";
  }
}
