// Options shared by many tasks, declared once so their names, types, defaults and help read the
// same everywhere. Plain objects keep Hardhat's argument typing: `.addOption(FROM_OPTION)` still
// types the action's `from: string`.
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

export const DEPLOYMENT_OPTION = {
  name: "deployment",
  description: "Deployment id (default: $INTENTKIT_DEPLOYMENT, else chain-<chainId>)",
  defaultValue: "",
} as const;

export const FROM_OPTION = {
  name: "from",
  description: "Acting account: an account index or address (default: the first)",
  defaultValue: "",
} as const;

export const JSON_FLAG = { name: "json", description: "Print JSON" } as const;

/** The intent a lifecycle task acts on: its one obvious operand, so positional. */
export const ID_ARGUMENT = { name: "id", description: "Intent id (0x + 64 hex digits)" } as const;

/**
 * An option the task cannot do without. It has no default, so `--help` shows none; the action
 * names it in a one-line error when it is missing, rather than Hardhat's parser refusing it.
 */
export function required<NameT extends string>(name: NameT, description: string) {
  return { name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined } as const;
}

/** Adds the options of a task that acts on a deployment: `--from`, `--deployment`, `--json`. */
export function actingOnDeployment<ArgsT extends TaskArguments>(builder: NewTaskDefinitionBuilder<ArgsT>) {
  return builder.addOption(FROM_OPTION).addOption(DEPLOYMENT_OPTION).addFlag(JSON_FLAG);
}

/** Adds the options of a task that reads a deployment: `--deployment`, `--json`. */
export function readingDeployment<ArgsT extends TaskArguments>(builder: NewTaskDefinitionBuilder<ArgsT>) {
  return builder.addOption(DEPLOYMENT_OPTION).addFlag(JSON_FLAG);
}
