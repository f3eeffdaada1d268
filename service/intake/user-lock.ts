// One user's intake across instances: the same signed intent sent to two instances at once would
// pass both checks at the same block, and one relay would revert. With Redis, an instance holds
// the user's key (SET NX with an expiry, so a crashed holder lets go) from the check until its
// relay mined; the others wait for it. Within one process the route's own queue does this.
import { randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

/** Lets go of a held key: deletes it only while it is still ours. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export type UserLock = (user: string) => Promise<() => Promise<void>>;

export class UserLockTimeout extends Error {}

export interface RedisUserLockOptions {
  redis: Redis;
  namespace: string;
  /** How long a holder may keep the key before it lapses (a crashed instance). */
  leaseMs?: number;
  /** How long a request waits for the key. */
  waitMs?: number;
  retryMs?: number;
}

export function redisUserLock(options: RedisUserLockOptions): UserLock {
  const { redis, namespace } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const waitMs = options.waitMs ?? 30_000;
  const retryMs = options.retryMs ?? 20;
  return async (user) => {
    const key = `intentkit:${namespace}:intake-user:${user.toLowerCase()}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await redis.set(key, token, "PX", leaseMs, "NX")) !== "OK") {
      if (Date.now() > deadline)
        throw new UserLockTimeout(`another instance has held ${user}'s intake for ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    return async () => {
      await redis.eval(RELEASE, 1, key, token);
    };
  };
}
