// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title RateLimit
 * @notice A token bucket that stores what was *used*, so a never-touched (all-zero) bucket is a
 * full one and costs nothing to create.
 *
 * Units: every admitted action adds `window` units; the bucket holds `limit * window` units and
 * drains `limit` units per second. With those units the hot path is two multiplications, one
 * subtraction and one comparison: no division (a division only happens on the revert path, to
 * tell the caller when to retry).
 *
 * Burst semantics: a full bucket admits `limit` actions at once and then refills at
 * `limit / window` actions per second, so across any rolling `window` it admits at most
 * `2 * limit` actions (a full bucket plus one window of refill). Callers that promise "at most
 * N per window" configure `limit = N / 2`; see the defaults in {IntentVerifier}.
 *
 * Storage: a bucket is 88 bits, `used` (48) | `updatedAt` (40), kept by the caller in the low
 * bits of one storage word (beside other fields of the same account) so a check costs one SLOAD
 * and one SSTORE. `limit` and `window` are at most 24 bits each, so `limit * window` always fits
 * the 48-bit `used` field: 16.7 million actions per window and windows up to 194 days.
 */
library RateLimit {
    /// @notice The bucket `bucket` is empty; the action may be retried `retryAfter` seconds from now.
    error RateLimited(bytes32 bucket, uint256 retryAfter);

    /// @notice A rate-limit configuration was rejected: both values must be in [1, 2^24 - 1].
    error InvalidRateLimit(uint256 limit, uint256 window);

    uint256 internal constant USED_BITS = 48;
    uint256 internal constant USED_MASK = (1 << 48) - 1;
    uint256 internal constant TIME_MASK = (1 << 40) - 1;
    /// @dev Mask of the 88 bits a bucket occupies at the bottom of a storage word.
    uint256 internal constant BUCKET_BITS = 88;
    uint256 internal constant BUCKET_MASK = (1 << 88) - 1;
    uint256 internal constant MAX_VALUE = (1 << 24) - 1;

    /**
     * @notice Admits one action against the bucket packed in the low 88 bits of `word`.
     * @dev Reverts with {RateLimited} when the bucket cannot take `window` more units. The
     * returned word keeps every bit above the bucket untouched.
     * @param word storage word holding the bucket in its low 88 bits
     * @param limit actions per window, at most 2^24 - 1 (see {validate})
     * @param window seconds, at most 2^24 - 1
     * @param bucket identifier reported in {RateLimited}
     * @return the word with the bucket updated to `block.timestamp`
     */
    function consume(uint256 word, uint256 limit, uint256 window, bytes32 bucket) internal view returns (uint256) {
        unchecked {
            uint256 next = admit(word & USED_MASK, (word >> USED_BITS) & TIME_MASK, limit, window, bucket);
            return (word & ~BUCKET_MASK) | (block.timestamp << USED_BITS) | next;
        }
    }

    /**
     * @notice The arithmetic of {consume} on an unpacked bucket: drains it to `block.timestamp` and
     * adds one action's `window` units, reverting with {RateLimited} past the capacity.
     * @dev Kept apart from the bit packing so that the SMTChecker can prove its properties
     * (specs/RateLimit.spec.sol); z3 cannot decide the packing's masks and shifts in useful time.
     * @param used the bucket's stored `used` units
     * @param updatedAt the bucket's stored timestamp, at most `block.timestamp`
     * @param limit actions per window, at most 2^24 - 1
     * @param window seconds, at most 2^24 - 1
     * @param bucket identifier reported in {RateLimited}
     * @return next the bucket's `used` units after admitting the action
     */
    function admit(
        uint256 used,
        uint256 updatedAt,
        uint256 limit,
        uint256 window,
        bytes32 bucket
    ) internal view returns (uint256 next) {
        unchecked {
            next = drain(used, updatedAt, limit, window) + window;
            uint256 capacity = limit * window;
            if (next > capacity) revert RateLimited(bucket, (next - capacity + limit - 1) / limit);
        }
    }

    /**
     * @notice What remains in a bucket and when it refills, for views and operator tooling.
     * @dev Expects a configuration that passed {validate} (a zero limit would divide by zero).
     * @param word storage word holding the bucket in its low 88 bits
     * @param limit actions per window
     * @param window seconds
     * @return remaining actions admitted right now
     * @return retryAfter seconds until the next action is admitted (0 when `remaining > 0`)
     * @return fullIn seconds until the bucket is full again
     */
    function status(
        uint256 word,
        uint256 limit,
        uint256 window
    ) internal view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn) {
        uint256 used = drain(word & USED_MASK, (word >> USED_BITS) & TIME_MASK, limit, window);
        uint256 capacity = limit * window;
        remaining = (capacity - used) / window;
        if (remaining == 0) retryAfter = (used + window - capacity + limit - 1) / limit;
        fullIn = (used + limit - 1) / limit;
    }

    /**
     * @notice Reverts unless `limit` and `window` are non-zero and fit 24 bits, which keeps
     * `limit * window` inside the 48-bit `used` field.
     */
    function validate(uint256 limit, uint256 window) internal pure {
        if (limit == 0 || window == 0 || limit > MAX_VALUE || window > MAX_VALUE) {
            revert InvalidRateLimit(limit, window);
        }
    }

    /**
     * @notice A bucket's `used` units at `block.timestamp`, drained at `limit` units per second
     * since `updatedAt`.
     * @dev The stored value is clamped to the capacity *before* draining, so a bucket stored under a
     * larger configuration reads at worst as full and is empty again within one window of the new
     * configuration.
     * @param used the bucket's stored `used` units
     * @param updatedAt the bucket's stored timestamp, at most `block.timestamp`
     * @param limit actions per window, at most 2^24 - 1
     * @param window seconds, at most 2^24 - 1
     * @return the units still in use
     */
    function drain(uint256 used, uint256 updatedAt, uint256 limit, uint256 window) internal view returns (uint256) {
        unchecked {
            uint256 capacity = limit * window;
            if (used > capacity) used = capacity;
            // updatedAt <= block.timestamp always; 40 + 24 bits cannot overflow 256.
            uint256 freed = (block.timestamp - updatedAt) * limit;
            return freed >= used ? 0 : used - freed;
        }
    }
}
