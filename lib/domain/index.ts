// The intentkit domain, shared by deploy, tasks, the pipeline (scripts) and tests: intents,
// roles, the syntax of amounts and durations, revert decoding, and the user-facing error.
export * from "./errors.js";
export * from "./intents.js";
export * from "./reverts.js";
export * from "./roles.js";
export * from "./syntax.js";
