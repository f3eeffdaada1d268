// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {RateLimitHarness} from "./harness/RateLimitHarness.sol";

/// @notice Measures one rate-limit check in steady state: a bucket already in use (non-zero
/// word), checked in a fresh transaction (cold slot), as on every submission after a user's
/// first. `npm run bench` reports the figure as `rateLimit.check`; the snapshot cheatcode keeps
/// it in snapshots/ so `--snapshot-check` catches drift.
contract RateLimitGasTest is Test {
    RateLimitHarness internal harness;
    bytes32 internal constant KEY = keccak256("user");

    function setUp() public {
        harness = new RateLimitHarness(50, 900);
        vm.warp(1_700_000_000);
        harness.consume(KEY);
        vm.warp(1_700_000_030);
    }

    function test_gas_rateLimitCheck_steadyState() public {
        uint256 gasUsed = harness.consumeMeasured(KEY);
        vm.snapshotValue("rateLimit", "check", gasUsed);
        vm.writeFile("reports/rate-limit-gas.json", string.concat('{"rateLimit.check":', vm.toString(gasUsed), "}"));
        assertGe(gasUsed, 2_000, "a cold bucket check reads and writes storage");
    }
}
