// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "../utils/Test.sol";
import {RateLimitHarness} from "../harness/RateLimitHarness.sol";

/**
 * @title RateLimitBucketHandler
 * @notice Spends actions on two buckets of a {RateLimitHarness} (one of them sharing its word
 * with foreign high bits) in bursts and single steps while time passes, and records every
 * admission's timestamp per bucket.
 */
contract RateLimitBucketHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant LIMIT = 3;
    uint256 public constant WINDOW = 50;
    /// @notice Foreign bits stored above the second bucket; they must never change.
    uint256 public constant HIGH_BITS = uint256(keccak256("foreign fields")) & ~((uint256(1) << 88) - 1);
    bytes32 public constant KEY_PLAIN = keccak256("plain");
    bytes32 public constant KEY_PACKED = keccak256("packed");

    RateLimitHarness public immutable harness;
    mapping(bytes32 key => uint256[]) internal _admissions;
    uint256 public attempts;

    constructor() {
        harness = new RateLimitHarness(LIMIT, WINDOW);
        harness.setWord(KEY_PACKED, HIGH_BITS);
    }

    /// @notice One action on a bucket.
    function consume(uint256 keySeed) external {
        _consume(_key(keySeed));
    }

    /// @notice Up to eight actions on a bucket at the same instant.
    function burst(uint256 keySeed, uint256 count) external {
        bytes32 key = _key(keySeed);
        count = 1 + (count % 8);
        for (uint256 i = 0; i < count; i++) _consume(key);
    }

    /// @notice 1 to 40 seconds pass.
    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + 1 + (secondsSeed % 40));
    }

    function admissions(bytes32 key) external view returns (uint256[] memory) {
        return _admissions[key];
    }

    function _consume(bytes32 key) internal {
        attempts++;
        if (harness.tryConsume(key)) _admissions[key].push(block.timestamp);
    }

    function _key(uint256 seed) internal pure returns (bytes32) {
        return seed % 2 == 0 ? KEY_PLAIN : KEY_PACKED;
    }
}

/**
 * @title RateLimitBucketInvariantTest
 * @notice Invariants of {RateLimit} under random schedules: stored `used` never exceeds the
 * capacity, the bits above a bucket never change, and no closed interval of one window holds
 * more than `2 * limit` admissions.
 */
contract RateLimitBucketInvariantTest is Test {
    RateLimitBucketHandler internal handler;
    RateLimitHarness internal harness;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new RateLimitBucketHandler();
        harness = handler.harness();
        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = RateLimitBucketHandler.consume.selector;
        selectors[1] = RateLimitBucketHandler.burst.selector;
        selectors[2] = RateLimitBucketHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Stored `used` <= limit * window for both buckets.
    function invariant_usedNeverExceedsCapacity() public view {
        assertLe(harness.used(handler.KEY_PLAIN()), harness.capacity(), "plain bucket used <= capacity");
        assertLe(harness.used(handler.KEY_PACKED()), harness.capacity(), "packed bucket used <= capacity");
    }

    /// @notice The foreign bits above the packed bucket are exactly as written at setup.
    function invariant_bitsAboveBucketNeverModified() public view {
        assertEq(harness.words(handler.KEY_PACKED()) >> 88, handler.HIGH_BITS() >> 88, "high bits untouched");
    }

    /// @notice At most `2 * limit` admissions in any closed interval of one window, per bucket;
    /// `status().remaining` never exceeds the limit.
    function invariant_admissionsWithinTwiceLimitPerRollingWindow() public view {
        bytes32[2] memory keys = [handler.KEY_PLAIN(), handler.KEY_PACKED()];
        for (uint256 k = 0; k < 2; k++) {
            uint256[] memory times = handler.admissions(keys[k]);
            uint256 lo;
            for (uint256 hi = 0; hi < times.length; hi++) {
                while (times[lo] + handler.WINDOW() < times[hi]) lo++;
                assertLe(hi - lo + 1, 2 * handler.LIMIT(), "admissions in one window");
            }
            (uint256 remaining, , ) = harness.status(keys[k]);
            assertLe(remaining, handler.LIMIT(), "remaining <= limit");
        }
    }

    /// @notice The handler's actions reach the bucket: a burst is admitted up to the limit and
    /// rejected beyond it, and time refills it (so the invariants above do not hold vacuously).
    function test_handlerActionsReachTheBucket() public {
        handler.burst(1, 7); // 8 actions on the packed bucket at one instant
        assertEq(handler.admissions(handler.KEY_PACKED()).length, handler.LIMIT(), "burst admits exactly limit");
        handler.warp(39); // 40 s refill 120 units = 2 actions of 50
        handler.consume(1);
        assertEq(handler.admissions(handler.KEY_PACKED()).length, handler.LIMIT() + 1, "refilled");
        invariant_usedNeverExceedsCapacity();
        invariant_bitsAboveBucketNeverModified();
        invariant_admissionsWithinTwiceLimitPerRollingWindow();
    }
}
