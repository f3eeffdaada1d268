// Options shared by many tasks, declared once so their names, defaults and help read the same
// everywhere. Plain objects keep Hardhat's argument typing: `.addOption(FROM_OPTION)` still
// types the action's `from: string`.
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

export const ID_OPTION = { name: "id", description: "Intent id (0x + 64 hex digits)", defaultValue: "" } as const;
