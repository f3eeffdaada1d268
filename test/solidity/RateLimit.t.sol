// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {RateLimitHarness} from "./harness/RateLimitHarness.sol";
import {RateLimit} from "../../contracts/libraries/RateLimit.sol";

/**
 * @title RateLimitTest
 * @notice Fuzz tests of the token-bucket maths in {RateLimit}, through {RateLimitHarness} (one
 * bucket per key, stored in the low 88 bits of a word like the contracts store theirs).
 * @dev Buckets are set up either fresh (full) or in an arbitrary stored state built with
 * {_storeState}: a bucket that, at the current time, has drained to a chosen `used`. Loops that
 * spend one action per iteration are capped by {LOOP_CAP}.
 */
contract RateLimitTest is Test {
    uint256 internal constant MAX_VALUE = (1 << 24) - 1;
    uint256 internal constant USED_MAX = (1 << 48) - 1;
    uint256 internal constant LOW_88 = (1 << 88) - 1;
    /// @dev Timestamps stay far below 2^40 (the width of `updatedAt`).
    uint256 internal constant T0_MAX = 1 << 36;
    /// @dev Most actions a test spends back to back in one loop.
    uint256 internal constant LOOP_CAP = 64;
    bytes32 internal constant KEY = keccak256("intentkit.test.bucket");

    RateLimitHarness internal harness;

    function setUp() public {
        harness = new RateLimitHarness(1, 1);
    }

    // ------------------------------------------------------------------ burst semantics

    /// @notice A full bucket admits exactly `limit` actions at one instant; the next is rejected
    /// with `retryAfter = ceil(window / limit)`.
    function testFuzz_fullBucketAdmitsExactlyLimitBackToBack(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 highBits
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, LOOP_CAP);
        vm.warp(bound(t0Seed, 1, T0_MAX));
        // A never-touched bucket (only foreign high bits set) is a full one.
        harness.setWord(KEY, highBits & ~LOW_88);
        for (uint256 i = 0; i < limit; i++) {
            (bool admitted, ) = _tryConsume();
            assertTrue(admitted, "a full bucket admits `limit` actions back to back");
        }
        (bool again, uint256 retryAfter) = _tryConsume();
        assertTrue(!again, "action limit + 1 at the same instant is rejected");
        assertEq(retryAfter, _ceilDiv(window, limit), "retryAfter after a burst");
    }

    /// @notice Across every closed interval of `window` seconds the bucket admits at most
    /// `2 * limit` actions, from any starting state, for random schedules paced around the
    /// refill rate. Also checks stored `used` never exceeds the capacity.
    function testFuzz_anyRollingWindowAdmitsAtMostTwiceLimit(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 stateSeed,
        uint256 scheduleSeed,
        uint256 attemptsSeed
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, 16);
        // Our own clock: under via-IR, block.timestamp read after vm.warp can be a stale copy.
        uint256 clock = bound(t0Seed, 1, T0_MAX);
        vm.warp(clock);
        _storeState(stateSeed, true, clock);
        uint256 attempts = bound(attemptsSeed, 1, 96);
        uint256 maxGap = 2 * _ceilDiv(window, limit);
        uint256[] memory admittedAt = new uint256[](attempts);
        uint256 admittedCount;
        for (uint256 i = 0; i < attempts; i++) {
            uint256 r = uint256(keccak256(abi.encode(scheduleSeed, i)));
            // One attempt in four at the same instant as the previous one (bursts).
            if (r % 4 != 0) {
                clock += bound(r >> 2, 0, maxGap);
                vm.warp(clock);
            }
            (bool admitted, ) = _tryConsume();
            if (!admitted) continue;
            admittedAt[admittedCount++] = clock;
            assertLe(harness.used(KEY), harness.capacity(), "used <= capacity after an admission");
            uint256 inWindow;
            for (uint256 j = 0; j < admittedCount; j++) {
                if (admittedAt[j] + window >= clock) inWindow++;
            }
            assertLe(inWindow, 2 * limit, "admissions in [t - window, t]");
        }
    }

    /// @notice The bound is tight: an actor retrying exactly at each `retryAfter` after a full
    /// burst gets exactly `2 * limit` actions within `[t0, t0 + window]`.
    function testFuzz_greedyRetryAdmitsExactlyTwiceLimitPerWindow(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, 32);
        uint256 t0 = bound(t0Seed, 1, T0_MAX);
        vm.warp(t0);
        uint256 clock = t0;
        uint256 admittedInWindow;
        // Each rejection moves time forward, so this ends after at most 2 * limit + 1 rejections.
        for (uint256 i = 0; i < 4 * limit + 2; i++) {
            (bool admitted, uint256 retryAfter) = _tryConsume();
            if (admitted) {
                admittedInWindow++;
                continue;
            }
            assertGe(retryAfter, 1, "a rejection asks to wait at least a second");
            if (clock + retryAfter > t0 + window) break;
            clock += retryAfter;
            vm.warp(clock);
        }
        assertEq(admittedInWindow, 2 * limit, "greedy admissions in [t0, t0 + window]");
    }

    // ------------------------------------------------------------------ retryAfter, status

    /// @notice After a rejection, retrying `retryAfter - 1` seconds later fails and exactly
    /// `retryAfter` seconds later succeeds; `retryAfter` never exceeds ceil(window / limit).
    function testFuzz_retryAfterIsExact(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 stateSeed
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, MAX_VALUE);
        // Every time is derived from inputs: under via-IR a local copy of block.timestamp may be
        // re-read after vm.warp.
        uint256 rejectedAt = bound(t0Seed, 1, T0_MAX);
        vm.warp(rejectedAt);
        _storeState(stateSeed, false, rejectedAt);
        (bool admitted, uint256 retryAfter) = _consumeUntilRejected();
        assertTrue(!admitted, "a bucket rejects within `remaining + 1` actions");
        assertGe(retryAfter, 1, "retryAfter >= 1");
        assertLe(retryAfter, _ceilDiv(window, limit), "retryAfter <= ceil(window / limit)");
        (uint256 remaining, uint256 statusRetry, ) = harness.status(KEY);
        assertEq(remaining, 0, "status: nothing remains after a rejection");
        assertEq(statusRetry, retryAfter, "status().retryAfter equals the revert's retryAfter");

        vm.warp(rejectedAt + retryAfter - 1);
        (bool early, ) = _tryConsume();
        assertTrue(!early, "retrying one second before retryAfter fails");
        vm.warp(rejectedAt + retryAfter);
        (bool onTime, ) = _tryConsume();
        assertTrue(onTime, "retrying exactly at retryAfter succeeds");
    }

    /// @notice `status().remaining` is exactly the number of actions admitted back to back now,
    /// and the rejection after them reports the same `retryAfter` as `status()` does then.
    function testFuzz_statusRemainingEqualsBackToBackAdmissions(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 stateSeed
    ) public {
        _configure(limitSeed, windowSeed, MAX_VALUE);
        uint256 t0 = bound(t0Seed, 1, T0_MAX);
        vm.warp(t0);
        uint256 expectedRemaining = _storeState(stateSeed, true, t0);
        (uint256 remaining, uint256 retryAfter, ) = harness.status(KEY);
        assertEq(remaining, expectedRemaining, "status().remaining of the constructed state");
        if (remaining > 0) assertEq(retryAfter, 0, "retryAfter is 0 while actions remain");

        uint256 admissions;
        for (uint256 i = 0; i <= LOOP_CAP + 1; i++) {
            (bool admitted, uint256 rejectedRetry) = _tryConsume();
            if (!admitted) {
                (, uint256 statusRetry, ) = harness.status(KEY);
                assertEq(rejectedRetry, statusRetry, "revert and status agree on retryAfter");
                break;
            }
            admissions++;
        }
        assertEq(admissions, remaining, "back-to-back admissions == status().remaining");
    }

    /// @notice `status().fullIn` is at most one window, the bucket is full (remaining == limit)
    /// exactly `fullIn` seconds later and not one second earlier.
    function testFuzz_fullInIsExactAndAtMostOneWindow(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 stateSeed
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, MAX_VALUE);
        uint256 t0 = bound(t0Seed, 1, T0_MAX);
        vm.warp(t0);
        _storeState(stateSeed, false, t0);
        (, , uint256 fullIn) = harness.status(KEY);
        assertLe(fullIn, window, "fullIn <= window");
        if (fullIn > 0) {
            vm.warp(t0 + fullIn - 1);
            (uint256 early, , ) = harness.status(KEY);
            assertLe(early + 1, limit, "not full one second before fullIn");
        }
        vm.warp(t0 + fullIn);
        (uint256 remaining, uint256 retryAfter, uint256 fullAgain) = harness.status(KEY);
        assertEq(remaining, limit, "full at fullIn");
        assertEq(retryAfter, 0, "no wait once full");
        assertEq(fullAgain, 0, "fullIn is 0 once full");
    }

    // ------------------------------------------------------------------ storage

    /// @notice Differential test against a checked-arithmetic reference model over random stored
    /// words (random bits above the bucket, random `used` up to 2^48 - 1 and `updatedAt` up to
    /// now): the admission decision, `retryAfter`, the new bucket and the untouched high bits.
    function testFuzz_consumeMatchesReferenceModelAndKeepsHighBits(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 t0Seed,
        uint256 highBits,
        uint256 usedSeed,
        uint256 ageSeed,
        uint256 stepsSeed
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, MAX_VALUE);
        uint256 t0 = bound(t0Seed, 1, T0_MAX);
        vm.warp(t0);
        uint256 high = highBits & ~LOW_88;
        uint256 usedStored = usedSeed % 3 == 0 ? USED_MAX - (usedSeed % 7) : bound(usedSeed, 0, USED_MAX);
        uint256 updatedAt = t0 - bound(ageSeed, 0, t0 < 2 * window ? t0 : 2 * window);
        harness.setWord(KEY, high | (updatedAt << 48) | usedStored);

        uint256 steps = bound(stepsSeed, 1, 8);
        uint256 clock = t0;
        for (uint256 i = 0; i < steps; i++) {
            uint256 r = uint256(keccak256(abi.encode(stepsSeed, i)));
            if (i > 0) {
                clock += bound(r, 0, 2 * _ceilDiv(window, limit));
                vm.warp(clock);
            }
            uint256 before = harness.words(KEY);
            (bool expectAdmit, uint256 expectRetry, uint256 expectUsed) = _model(before, limit, window, clock);
            (bool admitted, uint256 retryAfter) = _tryConsume();
            uint256 afterWord = harness.words(KEY);
            assertEq(afterWord >> 88, high >> 88, "bits above the bucket are never modified");
            assertTrue(admitted == expectAdmit, "admission decision matches the model");
            if (admitted) {
                assertEq(afterWord & USED_MAX, expectUsed, "used after admission");
                assertEq((afterWord >> 48) & ((1 << 40) - 1), clock, "updatedAt is now");
                assertLe(afterWord & USED_MAX, limit * window, "used <= capacity");
            } else {
                assertEq(retryAfter, expectRetry, "retryAfter matches the model");
                assertEq(afterWord, before, "a rejection leaves the word untouched");
            }
        }
    }

    // ------------------------------------------------------------------ configuration

    /// @notice `validate` (via the harness constructor and setter) accepts iff both values are in
    /// [1, 2^24 - 1], and reverts with `InvalidRateLimit(limit, window)` otherwise.
    function testFuzz_validateAcceptsIffBothInRange(uint256 limitSeed, uint256 windowSeed) public {
        uint256 limit = _edgeBiased(limitSeed);
        uint256 window = _edgeBiased(windowSeed);
        bool valid = limit >= 1 && limit <= MAX_VALUE && window >= 1 && window <= MAX_VALUE;
        bytes memory expected = abi.encodeWithSelector(RateLimit.InvalidRateLimit.selector, limit, window);

        (bool ok, bytes memory reason) = address(harness).call(
            abi.encodeCall(RateLimitHarness.setConfig, (limit, window))
        );
        assertTrue(ok == valid, "setConfig accepts iff both in [1, 2^24 - 1]");
        if (!ok) assertEq(keccak256(reason), keccak256(expected), "InvalidRateLimit(limit, window)");
        if (ok) {
            assertEq(harness.limit(), limit, "limit stored");
            assertEq(harness.window(), window, "window stored");
        }

        if (valid) {
            RateLimitHarness fresh = new RateLimitHarness(limit, window);
            assertEq(fresh.capacity(), limit * window, "capacity");
            assertLe(limit * window, USED_MAX, "capacity fits the 48-bit used field");
        } else {
            vm.expectRevert(expected);
            new RateLimitHarness(limit, window);
        }
    }

    /// @notice Changing (in particular lowering) the configuration never locks a bucket for
    /// longer than one new window: right after the change `retryAfter <= ceil(window' / limit')`
    /// and `fullIn <= window'`; retrying at `retryAfter` succeeds; one window' later the bucket is
    /// full.
    function testFuzz_loweringConfigNeverLocksLongerThanOneWindow(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 newLimitSeed,
        uint256 newWindowSeed,
        uint256 t0Seed,
        uint256 stateSeed,
        bool lowerOnly
    ) public {
        (uint256 limit, uint256 window) = _configure(limitSeed, windowSeed, MAX_VALUE);
        uint256 t0 = bound(t0Seed, 1, T0_MAX);
        vm.warp(t0);
        // Usually a bucket drained by the old configuration (used == old capacity), else any state.
        if (stateSeed % 2 == 0) harness.setWord(KEY, (t0 << 48) | (limit * window));
        else _storeState(stateSeed, true, t0);

        uint256 newLimit = lowerOnly ? bound(newLimitSeed, 1, limit) : _smallOrAny(newLimitSeed);
        uint256 newWindow = lowerOnly ? bound(newWindowSeed, 1, window) : _smallOrAny(newWindowSeed);
        harness.setConfig(newLimit, newWindow);

        (uint256 remaining, uint256 retryAfter, uint256 fullIn) = harness.status(KEY);
        assertLe(fullIn, newWindow, "fullIn <= new window");
        assertLe(retryAfter, _ceilDiv(newWindow, newLimit), "retryAfter <= ceil(new window / new limit)");
        if (remaining == 0) assertGe(retryAfter, 1, "a locked bucket asks to wait");

        // Views first (no state written), then the admission.
        vm.warp(t0 + newWindow);
        (uint256 remainingLater, , ) = harness.status(KEY);
        assertEq(remainingLater, newLimit, "full one new window after the change");
        vm.warp(t0 + retryAfter);
        (bool admitted, ) = _tryConsume();
        assertTrue(admitted, "admitted at retryAfter after the change");
    }

    // ------------------------------------------------------------------ helpers

    function _configure(
        uint256 limitSeed,
        uint256 windowSeed,
        uint256 maxLimit
    ) internal returns (uint256 limit, uint256 window) {
        // Half the runs use small values, where refills happen within a few steps.
        limit =
            limitSeed % 2 == 0
                ? bound(limitSeed >> 1, 1, maxLimit < 8 ? maxLimit : 8)
                : bound(limitSeed >> 1, 1, maxLimit);
        window = _smallOrAny(windowSeed);
        harness.setConfig(limit, window);
    }

    function _smallOrAny(uint256 seed) internal pure returns (uint256) {
        return seed % 2 == 0 ? bound(seed >> 1, 1, 600) : bound(seed >> 1, 1, MAX_VALUE);
    }

    /// @dev Stores a bucket that, at the current time, drains to a state from which exactly the
    /// returned number of actions (at most {LOOP_CAP}) can be admitted back to back: either
    /// `used = capacity - k * window - slack` (slack < window), reached after draining for a
    /// random time from a higher stored value, or (when `allowOverfull`) an over-full stored
    /// value, i.e. a bucket written under a larger configuration, or (small limits) a long-idle
    /// bucket drained past zero. Over-full states only arise after a configuration change and
    /// are kept out of the tests whose property they break (see
    /// {testFuzz_loweringConfigNeverLocksLongerThanOneWindow}). `now_` is the caller's own clock,
    /// the time it last warped to (block.timestamp can read stale after vm.warp under via-IR).
    function _storeState(uint256 seed, bool allowOverfull, uint256 now_) internal returns (uint256 expectedRemaining) {
        uint256 limit = harness.limit();
        uint256 window = harness.window();
        uint256 capacity = limit * window;
        uint256 r1 = uint256(keccak256(abi.encode(seed, 1)));
        uint256 r2 = uint256(keccak256(abi.encode(seed, 2)));
        uint256 mode = seed % 8;
        uint256 usedNow;
        if (mode == 0 && allowOverfull) {
            // Over-full: written under a larger configuration, clamped to the capacity.
            harness.setWord(KEY, (now_ << 48) | bound(r1, capacity, USED_MAX));
            return 0;
        }
        if (mode == 1 && limit <= LOOP_CAP && now_ >= window) {
            // Idle for longer than needed to drain: full.
            uint256 idle = bound(r1, window, now_);
            uint256 stored = bound(r2, 0, capacity);
            if (stored > idle * limit) stored = idle * limit;
            harness.setWord(KEY, ((now_ - idle) << 48) | stored);
            return limit;
        }
        uint256 maxK = limit < LOOP_CAP ? limit : LOOP_CAP;
        expectedRemaining = bound(r1, 0, maxK);
        uint256 base = capacity - expectedRemaining * window;
        uint256 slackMax = window - 1 < base ? window - 1 : base;
        usedNow = base - bound(r2, 0, slackMax);
        // Drained for `elapsed` seconds from a higher stored value, itself within the capacity
        // (a stored value above it is clamped before draining: see the over-full mode).
        uint256 maxElapsed = (capacity - usedNow) / limit;
        if (maxElapsed > now_) maxElapsed = now_;
        if (maxElapsed > 2 * window) maxElapsed = 2 * window;
        uint256 elapsed = bound(seed >> 3, 0, maxElapsed);
        harness.setWord(KEY, ((now_ - elapsed) << 48) | (usedNow + elapsed * limit));
    }

    /// @dev Reference model of {RateLimit-consume} in checked arithmetic.
    function _model(
        uint256 word,
        uint256 limit,
        uint256 window,
        uint256 now_
    ) internal pure returns (bool admit, uint256 retryAfter, uint256 newUsed) {
        uint256 used = word & USED_MAX;
        uint256 updatedAt = (word >> 48) & ((1 << 40) - 1);
        uint256 capacity = limit * window;
        if (used > capacity) used = capacity;
        uint256 drained = (now_ - updatedAt) * limit;
        used = used > drained ? used - drained : 0;
        newUsed = used + window;
        admit = newUsed <= capacity;
        if (!admit) retryAfter = _ceilDiv(newUsed - capacity, limit);
    }

    /// @dev Consumes until the first rejection (at most {LOOP_CAP} + 2 attempts).
    function _consumeUntilRejected() internal returns (bool admitted, uint256 retryAfter) {
        for (uint256 i = 0; i < LOOP_CAP + 2; i++) {
            (admitted, retryAfter) = _tryConsume();
            if (!admitted) return (false, retryAfter);
        }
    }

    /// @dev One action on {KEY}; on rejection checks the revert is `RateLimited(KEY, retryAfter)`.
    function _tryConsume() internal returns (bool admitted, uint256 retryAfter) {
        (bool ok, bytes memory reason) = address(harness).call(abi.encodeCall(RateLimitHarness.consume, (KEY)));
        if (ok) return (true, 0);
        assertEq(reason.length, 68, "RateLimited(bytes32,uint256) revert data");
        bytes4 selector;
        bytes32 bucket;
        assembly ("memory-safe") {
            selector := mload(add(reason, 32))
            bucket := mload(add(reason, 36))
            retryAfter := mload(add(reason, 68))
        }
        assertTrue(selector == RateLimit.RateLimited.selector, "rejection is RateLimited");
        assertEq(bucket, KEY, "RateLimited names the bucket");
        return (false, retryAfter);
    }

    /// @dev Values around the [1, 2^24 - 1] edges half of the time, any uint256 otherwise.
    function _edgeBiased(uint256 seed) internal pure returns (uint256) {
        uint256 pick = seed % 10;
        if (pick == 0) return 0;
        if (pick == 1) return 1;
        if (pick == 2) return MAX_VALUE;
        if (pick == 3) return MAX_VALUE + 1;
        if (pick == 4) return type(uint256).max;
        if (pick < 8) return bound(seed >> 4, 1, MAX_VALUE);
        return seed;
    }

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a + b - 1) / b;
    }
}
