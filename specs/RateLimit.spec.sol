// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RateLimit} from "../contracts/libraries/RateLimit.sol";

/**
 * @title RateLimitSpec
 * @notice Properties of {RateLimit}, checked by solc's SMTChecker (CHC engine). Every `rule_*`
 * function states: for all arguments and block timestamps satisfying the `require`s at its top,
 * the library call it makes ends in a state where its `assert`s hold. Every `invariant_*` function
 * states a property of the harness storage that holds in every reachable state.
 *
 * The rules are about the library's arithmetic ({RateLimit-admit}, {RateLimit-drain}, which
 * {RateLimit-consume} and {RateLimit-status} run on the unpacked bucket) and its validation. The
 * packing of a bucket into a word (masks and shifts) is not here: z3 4.8.12 cannot decide solc's
 * mixed integer/bit-vector encoding of `&`, `|`, `<<` and `>>` in useful time, so those properties
 * would only ever be `unknown`. test/solidity/RateLimit.t.sol fuzzes the packing instead.
 *
 * Domain of the library, written as preconditions where a property needs it:
 * - configurations pass {RateLimit-validate} (both values in [1, 2^24 - 1]), as every caller's
 *   configuration does before it reaches the bucket functions;
 * - `used < 2^48` and `updatedAt <= block.timestamp < 2^40`: a bucket stores `used` in 48 bits and
 *   `updatedAt` in 40, and is only written by {RateLimit-consume} at or before the current block
 *   (the library relies on it: "updatedAt <= block.timestamp always").
 */
contract RateLimitSpec {
    uint256 private constant USED_LIMIT = 1 << 48;
    uint256 private constant TIME_LIMIT = 1 << 40;
    uint256 private constant MAX_VALUE = (1 << 24) - 1;

    /// @dev Harness storage for the invariants: one unpacked bucket under one configuration.
    uint256 private _used;
    uint256 private _updatedAt;
    uint256 private _limit;
    uint256 private _window;
    /// @dev limit * window, kept so the invariant compares with a value instead of a product.
    uint256 private _capacity;

    // ---- harness transactions (the only ways the storage changes) -------------------------------

    /**
     * @notice Sets the configuration once, through {RateLimit-validate}.
     * @dev Set-once on purpose: the library allows a bucket stored under a larger configuration
     * (it clamps on read), so "stored used <= capacity" is a property of buckets written under the
     * configuration they are read with.
     */
    function configure(uint256 limit, uint256 window) external {
        require(_limit == 0 && _window == 0);
        RateLimit.validate(limit, window);
        _limit = limit;
        _window = window;
        _capacity = limit * window;
    }

    /// @notice Admits one action against the stored bucket, as {RateLimit-consume} does.
    function hit() external {
        require(_limit != 0);
        // Time moves forward and fits the 40-bit `updatedAt` field (see the contract's NatSpec).
        require(_updatedAt <= block.timestamp && block.timestamp < TIME_LIMIT);
        _used = RateLimit.admit(_used, _updatedAt, _limit, _window, bytes32(0));
        _updatedAt = block.timestamp;
    }

    // ---- rules ---------------------------------------------------------------------------------

    /// @notice A configuration that passes validate has both values in [1, 2^24 - 1].
    function rule_validateRejectsOutOfRange(uint256 limit, uint256 window) external pure {
        RateLimit.validate(limit, window);
        assert(limit >= 1 && limit <= MAX_VALUE && window >= 1 && window <= MAX_VALUE);
    }

    /// @notice A configuration that passes validate has a capacity (limit * window) that fits the 48-bit used field.
    function rule_validatedCapacityFitsUsedField(uint256 limit, uint256 window) external pure {
        RateLimit.validate(limit, window);
        assert(limit * window < USED_LIMIT);
        assert(limit * window >= window);
    }

    /// @notice A bucket never admits more than its capacity: an admitted action leaves used <= limit * window.
    function rule_admitNeverExceedsCapacity(
        uint256 used,
        uint256 updatedAt,
        uint256 limit,
        uint256 window
    ) external view {
        _inDomain(used, updatedAt, limit, window);
        uint256 next = RateLimit.admit(used, updatedAt, limit, window, bytes32(0));
        assert(next <= limit * window);
    }

    /// @notice An untouched (empty) bucket admits an action, which then holds exactly one window of units.
    function rule_emptyBucketAdmits(uint256 updatedAt, uint256 limit, uint256 window) external view {
        _inDomain(0, updatedAt, limit, window);
        uint256 next = RateLimit.admit(0, updatedAt, limit, window, bytes32(0));
        assert(next == window);
    }

    /// @notice Refills never exceed capacity: a drained bucket holds at most limit * window units.
    function rule_drainNeverExceedsCapacity(
        uint256 used,
        uint256 updatedAt,
        uint256 limit,
        uint256 window
    ) external view {
        _inDomain(used, updatedAt, limit, window);
        assert(RateLimit.drain(used, updatedAt, limit, window) <= limit * window);
    }

    /// @notice Draining never adds use: a drained bucket holds at most what was stored.
    function rule_drainNeverAddsUse(uint256 used, uint256 updatedAt, uint256 limit, uint256 window) external view {
        _inDomain(used, updatedAt, limit, window);
        assert(RateLimit.drain(used, updatedAt, limit, window) <= used);
    }

    /// @notice Draining frees at most limit units per elapsed second of what the bucket held (clamped to capacity).
    function rule_drainFreesAtMostLimitPerSecond(
        uint256 used,
        uint256 updatedAt,
        uint256 limit,
        uint256 window
    ) external view {
        _inDomain(used, updatedAt, limit, window);
        uint256 held = used > limit * window ? limit * window : used;
        uint256 freed = (block.timestamp - updatedAt) * limit;
        assert(RateLimit.drain(used, updatedAt, limit, window) + freed >= held);
    }

    /// @notice A bucket left alone for one whole window is empty again.
    function rule_emptyAfterOneWindow(uint256 used, uint256 updatedAt, uint256 limit, uint256 window) external view {
        _inDomain(used, updatedAt, limit, window);
        require(block.timestamp - updatedAt >= window);
        assert(RateLimit.drain(used, updatedAt, limit, window) == 0);
    }

    // ---- invariants ----------------------------------------------------------------------------

    /**
     * @notice The stored configuration is either unset or one that validate accepts.
     * @dev Inductive over {configure} (set once, through validate) and {hit} (does not write it).
     */
    function invariant_configurationValid() external view {
        assert(
            (_limit == 0 && _window == 0) ||
                (_limit >= 1 && _limit <= MAX_VALUE && _window >= 1 && _window <= MAX_VALUE)
        );
    }

    /**
     * @notice A stored bucket stays within capacity: its used units are at most limit * window.
     * @dev State preservation assumptions: the bucket only changes through {hit} (RateLimit.admit
     * under the stored configuration, time not going backwards) and the configuration is set once
     * through {configure}; initially everything is zero.
     */
    function invariant_storedBucketWithinCapacity() external view {
        assert(_used <= _capacity);
    }

    /// @dev The library's domain (see the contract's NatSpec).
    function _inDomain(uint256 used, uint256 updatedAt, uint256 limit, uint256 window) private view {
        RateLimit.validate(limit, window);
        require(used < USED_LIMIT);
        require(updatedAt <= block.timestamp && block.timestamp < TIME_LIMIT);
    }
}
