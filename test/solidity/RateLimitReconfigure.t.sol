// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {IIntentVerifier} from "../../contracts/interfaces/IIntentVerifier.sol";
import {INTENT_TYPE_TRANSFER, Intent, TransferParams} from "../../contracts/libraries/IntentTypes.sol";
import {MockERC20} from "../../contracts/test/MockERC20.sol";

/**
 * @title RateLimitReconfigureTest
 * @notice The {RateLimit} promise that a bucket stored under a larger configuration "never locks
 * the account out for longer than one window", checked end to end on {IntentVerifier}'s
 * per-user limit: a user who spent the default bucket (50 per 15 min) and whose limit is then
 * lowered must be able to submit again within one new window, as `rateLimitStatus` and the
 * `RateLimited` error tell them.
 */
contract RateLimitReconfigureTest is Test {
    IIntentVerifier internal verifier;
    MockERC20 internal token;
    address internal constant USER = address(0x1001);
    address internal constant RECIPIENT = address(0x3001);
    /// @dev Times are constants: under via-IR a local copy of block.timestamp may be re-read
    /// after vm.warp.
    uint256 internal constant T0 = 1_700_000_000;

    function setUp() public {
        vm.warp(T0);
        token = new MockERC20("Token", "TKN");
        // The registry is not involved in submissions; any non-zero address will do.
        verifier = IIntentVerifier(_deploy("IntentVerifier", abi.encode(address(0x5E6), address(this), uint48(0))));
        verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, address(token), true, 1, 1e30);
    }

    /// @notice Spend the default per-user bucket (50 back to back), lower the limit to 5 per
    /// 60 s: the user must be admitted again within one new window (60 s), and at the
    /// `retryAfter` that `rateLimitStatus` reports.
    function test_loweringUserLimitUnlocksWithinOneNewWindow() public {
        (, , uint256 userLimit, ) = verifier.rateLimits();
        for (uint256 i = 0; i < userLimit; i++) _submit();
        verifier.setUserRateLimit(5, 60);

        (uint256 remaining, uint256 retryAfter, uint256 fullIn, , , ) = verifier.rateLimitStatus(USER);
        assertEq(remaining, 0, "locked right after the change");
        assertLe(retryAfter, 60, "reported retryAfter within one new window");
        assertLe(fullIn, 60, "reported fullIn within one new window");

        vm.warp(T0 + retryAfter);
        (bool admitted, ) = _trySubmit();
        assertTrue(admitted, "admitted at the reported retryAfter");

        vm.warp(T0 + 60);
        (remaining, , , , , ) = verifier.rateLimitStatus(USER);
        assertGe(remaining, 1, "admits again one new window after the change");
    }

    function _submit() internal {
        (bool admitted, ) = _trySubmit();
        assertTrue(admitted, "submission within the default limit admitted");
    }

    function _trySubmit() internal returns (bool admitted, bytes memory reason) {
        Intent memory intent = Intent({
            user: USER,
            intentType: INTENT_TYPE_TRANSFER,
            nonce: verifier.nextNonce(USER),
            expiry: uint40(block.timestamp + 1 hours),
            params: abi.encode(TransferParams(address(token), 1e18, RECIPIENT))
        });
        vm.prank(USER);
        (admitted, reason) = address(verifier).call(abi.encodeCall(IIntentVerifier.submit, (intent)));
    }
}
