// The staged pipeline that gates every deployment (engine and stages: scripts/pipeline/).
import { task } from "hardhat/config";

export const pipelineTask = task(
  "pipeline",
  "Run the staged pipeline: build → test → static → specs → testnet → integration → mainnet → verify",
)
  .addOption({
    name: "only",
    description: "Comma-separated stages to run, e.g. build,test,static (build always runs)",
    defaultValue: "",
  })
  .addOption({ name: "from", description: "Run this stage and every later one (build always runs)", defaultValue: "" })
  .addFlag({
    name: "resume",
    description: "Continue the latest run, keeping stages that passed for the same buildHash",
  })
  .addOption({
    name: "runId",
    description: "With --resume: the run to continue (default: the latest)",
    defaultValue: "",
  })
  .addOption({
    name: "reportDir",
    description: "Where run folders are written",
    defaultValue: "reports/pipeline",
  })
  .addOption({
    name: "pipelineConfig",
    description: "Thresholds and tool versions",
    defaultValue: "pipeline.config.json",
  })
  .addOption({
    name: "testnet",
    description: "Hardhat network the testnet stage deploys to (default: a node spawned for the run)",
    defaultValue: "",
  })
  .addOption({
    name: "mainnet",
    description: "Hardhat network of the mainnet rollout, marked production (default: a spawned rehearsal node)",
    defaultValue: "",
  })
  .addOption({
    name: "confirm",
    description: "The mainnet's chain id, confirming the rollout without the prompt (CI: INTENTKIT_MAINNET_APPROVAL)",
    defaultValue: "",
  })
  .addFlag({
    name: "stopChains",
    description: "Stop the local chains a run (the latest, or --run-id) left running for --resume, and exit",
  })
  .setAction(() => import("./actions/pipeline/run.js"))
  .build();

export const pipelineTasks = [pipelineTask];
