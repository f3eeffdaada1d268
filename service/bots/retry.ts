// At most `attempts` tries of one step, with exponential backoff and jitter between them, for
// transient failures only: base · 2ⁿ, scaled by a random factor in [0.5, 1.5) so that bots
// that failed together do not come back together. A 429's Retry-After is waited at least.
import { type Classified, classify } from "./errors.js";

export interface RetryPolicy {
  /** Tries of one step, the first included (default 5). */
  attempts: number;
  /** The first backoff (default 1,000 ms); the n-th waits base · 2ⁿ⁻¹ with jitter. */
  baseMs: number;
  /** The longest Retry-After honoured (default 60 s); a longer one waits this long. */
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1_000 };

/** The last failure of a step, after its attempts ran out or at its first permanent failure. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly failure: Classified,
    readonly attempts: number,
  ) {
    super(`${step}: ${failure.code} after ${attempts} attempt(s): ${failure.message}`);
    this.name = "StepFailed";
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffMs(policy: RetryPolicy, failedAttempt: number, failure?: Classified): number {
  const random = policy.random ?? Math.random;
  const delay = policy.baseMs * 2 ** (failedAttempt - 1) * (0.5 + random());
  const asked = Math.min((failure?.retryAfterSeconds ?? 0) * 1_000, policy.maxRetryAfterMs ?? 60_000);
  return Math.max(delay, asked);
}

/**
 * Runs `operation` until it succeeds, fails permanently or has failed `attempts` times; every
 * failure is reported to `onFailure` (which counts it) before the decision.
 */
export async function withRetry<T>(
  step: string,
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onFailure: (failure: Classified, attempt: number) => void,
  classifyError: (error: unknown) => Classified = classify,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (error instanceof StepFailed) throw error; // an inner step already counted and decided
      const failure = classifyError(error);
      onFailure(failure, attempt);
      if (!failure.transient || attempt >= policy.attempts) throw new StepFailed(step, failure, attempt);
      await (policy.sleep ?? sleep)(backoffMs(policy, attempt, failure));
    }
  }
}
