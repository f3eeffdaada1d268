// Failures the pipeline reports as one line: bad options, a bad config file, a stage that did not
// pass. Anything else is a bug and keeps its stack trace (printed with --show-stack-traces).
export class PipelineError extends Error {
  override name = "PipelineError";
}

/** A stage did not pass: `reason` is the one line a person reads first, `outputs` what to open. */
export class StageFailure extends Error {
  override name = "StageFailure";
  constructor(
    readonly reason: string,
    readonly outputs: Record<string, string | number> = {},
    /** The last lines of the command that failed, when a command's output explains the failure. */
    readonly tail: string[] = [],
  ) {
    super(reason);
  }
}
