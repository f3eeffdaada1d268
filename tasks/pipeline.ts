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
  .setAction(() => import("./actions/pipeline/run.js"))
  .build();

export const pipelineTasks = [pipelineTask];
