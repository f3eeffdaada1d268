// Kept for the scripts and tests that import intents from here; the definitions live in the
// domain module, which deploy, tasks, the pipeline and tests share.
export * from "../../lib/domain/intents.js";
