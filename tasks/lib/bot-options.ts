// The options of the long-running bots (`solver run`, `keeper run`), declared once.
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

import { DEPLOYMENT_OPTION, FROM_OPTION } from "./options.js";

export const BOT_OPTIONS = {
  port: {
    name: "port",
    description: "Port of its /metrics and /health on 127.0.0.1 (0: any free one)",
    type: ArgumentType.INT,
  },
  serviceUrl: {
    name: "serviceUrl",
    description:
      "URL of an intentkit service whose live stream (GET /api/events) it follows (default: it reads the chain's events)",
    defaultValue: "",
  },
  webhookUrl: {
    name: "webhookUrl",
    description:
      "URL that critical alerts are POSTed to as JSON (bond below the minimum, slash, missing key, stuck nonce)",
    defaultValue: "",
  },
  alertInterval: {
    name: "alertInterval",
    description: "Seconds during which a critical alert of one cause is not sent again",
    type: ArgumentType.INT,
    defaultValue: 900,
  },
  retryBase: {
    name: "retryBase",
    description: "First backoff in ms of a failed request (then doubled, with jitter; at most 5 attempts)",
    type: ArgumentType.INT,
    defaultValue: 1_000,
  },
} as const;

export function withBotOptions<ArgsT extends TaskArguments>(
  builder: NewTaskDefinitionBuilder<ArgsT>,
  port: { name: "port"; description: string; type: typeof ArgumentType.INT; defaultValue: number },
) {
  return builder
    .addOption(FROM_OPTION)
    .addOption(DEPLOYMENT_OPTION)
    .addOption(BOT_OPTIONS.serviceUrl)
    .addOption(BOT_OPTIONS.webhookUrl)
    .addOption(BOT_OPTIONS.alertInterval)
    .addOption(BOT_OPTIONS.retryBase)
    .addOption(port);
}
