// Every stage in report order (each runs when what it needs has passed: Stage.needs). Stages not
// built yet have no `run` and are reported as such.
import { STAGE_NAMES, type Stage, type StageName } from "../stage.js";
import { buildStage } from "./build.js";
import { integrationStage } from "./integration.js";
import { mainnetStage } from "./mainnet.js";
import { specsStage } from "./specs.js";
import { staticStage } from "./static.js";
import { testStage } from "./test.js";
import { testnetStage } from "./testnet.js";
import { verifyStage } from "./verify.js";

const STAGES: Record<StageName, Stage> = {
  build: buildStage,
  test: testStage,
  static: staticStage,
  specs: specsStage,
  testnet: testnetStage,
  integration: integrationStage,
  mainnet: mainnetStage,
  verify: verifyStage,
};

export const stagesInOrder = (): Stage[] => STAGE_NAMES.map((name) => STAGES[name]);
