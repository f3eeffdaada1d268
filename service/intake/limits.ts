// The API's own rate limits (rate-limiter-flexible): requests per client, intents per user. In
// memory by default; in Redis when configured, so every instance draws from the same counters
// (Redis applies each consume atomically, which is what makes the limits exact across instances).
// The headers are those of the IETF draft (draft-ietf-httpapi-ratelimit-headers-07, as
// express-rate-limit's `standardHeaders: "draft-7"` writes them).
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface LimitPolicy {
  /** Allowed in one window. */
  limit: number;
  windowSeconds: number;
}

/** As a production intent API sets them: 1,000 requests a minute, 100 intents per 15 minutes. */
export const DEFAULT_LIMITS = {
  requests: { limit: 1_000, windowSeconds: 60 },
  intents: { limit: 100, windowSeconds: 900 },
} as const satisfies Record<string, LimitPolicy>;

/** Where one key stands in one policy after a request. */
export interface Quota {
  policy: LimitPolicy;
  allowed: boolean;
  remaining: number;
  /** Seconds until the window's count resets. */
  resetSeconds: number;
}

export interface IntakeLimitsOptions {
  requests?: LimitPolicy;
  intents?: LimitPolicy;
  /** Shared counters; the caller owns the connection. */
  redis?: Redis;
  /** Keeps deployments apart in one Redis. */
  namespace?: string;
}

function limiter(policy: LimitPolicy, keyPrefix: string, redis: Redis | undefined): RateLimiterAbstract {
  const options = { points: policy.limit, duration: policy.windowSeconds, keyPrefix };
  return redis === undefined
    ? new RateLimiterMemory(options)
    : new RateLimiterRedis({ ...options, storeClient: redis });
}

function quota(policy: LimitPolicy, result: RateLimiterRes, allowed: boolean): Quota {
  return {
    policy,
    allowed,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(0, Math.ceil(result.msBeforeNext / 1000)),
  };
}

export class IntakeLimits {
  readonly requests: LimitPolicy;
  readonly intents: LimitPolicy;
  readonly #requests: RateLimiterAbstract;
  readonly #intents: RateLimiterAbstract;

  constructor(options: IntakeLimitsOptions = {}) {
    this.requests = options.requests ?? DEFAULT_LIMITS.requests;
    this.intents = options.intents ?? DEFAULT_LIMITS.intents;
    const prefix = `intentkit:${options.namespace ?? "default"}:limit`;
    this.#requests = limiter(this.requests, `${prefix}:requests`, options.redis);
    this.#intents = limiter(this.intents, `${prefix}:intents`, options.redis);
  }

  /** Counts one request of `client`. */
  request(client: string): Promise<Quota> {
    return this.#take(this.#requests, this.requests, client);
  }

  /** Where `user` stands, without counting anything. */
  async peekIntents(user: string): Promise<Quota> {
    const result = await this.#intents.get(user.toLowerCase());
    if (result === null) return { policy: this.intents, allowed: true, remaining: this.intents.limit, resetSeconds: 0 };
    return quota(this.intents, result, result.remainingPoints > 0);
  }

  /** Counts one accepted intent of `user`; refused when the window has none left. */
  takeIntent(user: string): Promise<Quota> {
    return this.#take(this.#intents, this.intents, user.toLowerCase());
  }

  /** Gives back an intent counted for a relay that was never sent. */
  async returnIntent(user: string): Promise<void> {
    await this.#intents.reward(user.toLowerCase(), 1);
  }

  async #take(store: RateLimiterAbstract, policy: LimitPolicy, key: string): Promise<Quota> {
    try {
      return quota(policy, await store.consume(key, 1), true);
    } catch (refusal) {
      // rate-limiter-flexible rejects with the key's state when it is out of points, or with the
      // store's own error (Redis unreachable), which must not pass for a refusal.
      if (refusal instanceof RateLimiterRes) return quota(policy, refusal, false);
      throw refusal;
    }
  }
}

/** The draft's headers for the policies that apply, the closest to its limit reported. */
export function rateLimitHeaders(quotas: Quota[]): Record<string, string> {
  const tightest = quotas.reduce((a, b) => (b.remaining / b.policy.limit < a.remaining / a.policy.limit ? b : a));
  return {
    "RateLimit-Policy": quotas.map((q) => `${q.policy.limit};w=${q.policy.windowSeconds}`).join(", "),
    RateLimit: `limit=${tightest.policy.limit}, remaining=${tightest.remaining}, reset=${tightest.resetSeconds}`,
  };
}
