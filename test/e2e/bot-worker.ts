// A solver bot or the keeper in a process of its own, for the kill -9 test
// (test/e2e/bots-kill.test.ts): `node --import tsx test/e2e/bot-worker.ts <config.json>`, where the
// config is a BotSettings without `rules` plus the rules file's content. It prints "running" once
// started, its log lines, and on SIGTERM stops, prints "metrics <JSON of intent_errors_total>" and
// exits 0.
import { readFileSync } from "node:fs";

import { type BotSettings, startBot } from "../../service/bots/run.js";
import { parseRules } from "../../service/bots/rules.js";

const config = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as BotSettings & { rulesFile?: unknown };
const bot = await startBot({
  ...config,
  rules: config.kind === "solver" ? parseRules(config.rulesFile ?? {}, {}) : undefined,
  log: (line) => console.log(line),
});
console.log("running");
process.once("SIGTERM", async () => {
  await bot.stop();
  const metric = await bot.metrics.registry.getSingleMetric("intent_errors_total")!.get();
  console.log(
    `metrics ${JSON.stringify(metric.values.map(({ labels, value }) => ({ code: labels.error_code, value })))}`,
  );
  process.exit(0);
});
