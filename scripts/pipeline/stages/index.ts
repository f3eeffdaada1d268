// Every stage in run order. Stages not built yet have no `run` and are reported as such.
import { STAGE_NAMES, type Stage, type StageName } from "../stage.js";
import { buildStage } from "./build.js";
import { specsStage } from "./specs.js";
import { staticStage } from "./static.js";
import { testStage } from "./test.js";

const planned = (name: StageName, title: string, plannedIn: string): Stage => ({ name, title, plannedIn });

const STAGES: Record<StageName, Stage> = {
  build: buildStage,
  test: testStage,
  static: staticStage,
  specs: specsStage,
  testnet: planned("testnet", "testnet: deploy the build with Ignition", "issue 6"),
  integration: planned("integration", "integration: the integration suite against the testnet deployment", "issue 6"),
  mainnet: planned("mainnet", "mainnet: gated, paused-first rollout", "issue 6"),
  verify: planned("verify", "verify: bytecode, metadata and explorer verification", "issue 6"),
};

export const stagesInOrder = (): Stage[] => STAGE_NAMES.map((name) => STAGES[name]);
