// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {ValidationHarness} from "./harness/ValidationHarness.sol";
import {SwapParams, TransferParams} from "../../contracts/libraries/IntentTypes.sol";
import {SwapRules} from "../../contracts/validation/SwapRules.sol";
import {TokenPolicy} from "../../contracts/validation/TokenPolicy.sol";
import {TransferRules} from "../../contracts/validation/TransferRules.sol";

/**
 * @title ValidationRulesTest
 * @notice Fuzz tests of the built-in parameter rules ({TransferRules}, {SwapRules}) on calldata
 * and of the {TokenPolicy} bounds: random inputs are accepted iff the documented conditions
 * hold, and otherwise rejected with the documented custom error (the first failing check, in
 * the libraries' order).
 * @dev Zero fields and equal tokens are rare in uniform fuzz input, so a mask seed forces them.
 */
contract ValidationRulesTest is Test {
    uint256 internal constant MASK_120 = (1 << 120) - 1;

    ValidationHarness internal harness;

    function setUp() public {
        harness = new ValidationHarness();
    }

    // ------------------------------------------------------------------ transfers

    /// @notice A 96-byte transfer is accepted iff token, recipient and amount are non-zero, and
    /// decodes to exactly the encoded values; otherwise the first zero field is named.
    function testFuzz_transfer_acceptsIffTokenRecipientAndAmountNonZero(
        address token,
        uint256 amount,
        address recipient,
        uint8 zeroMask
    ) public {
        if (zeroMask & 1 != 0) token = address(0);
        if (zeroMask & 2 != 0) recipient = address(0);
        if (zeroMask & 4 != 0) amount = 0;
        bytes memory expected;
        if (token == address(0)) expected = _zeroAddress(0);
        else if (recipient == address(0)) expected = _zeroAddress(2);
        else if (amount == 0) expected = _zeroAmount(1);

        (bool ok, bytes memory ret) = address(harness).call(
            abi.encodeCall(ValidationHarness.validateTransfer, (abi.encode(TransferParams(token, amount, recipient))))
        );
        _assertOutcome(ok, ret, expected);
        if (ok) {
            TransferParams memory p = abi.decode(ret, (TransferParams));
            assertEq(p.token, token, "decoded token");
            assertEq(p.amount, amount, "decoded amount");
            assertEq(p.recipient, recipient, "decoded recipient");
        }
    }

    /// @notice Transfer params of any length other than 96 bytes, including a valid encoding
    /// with bytes appended or cut off, revert with `MalformedParams(length, 96)`.
    function testFuzz_transfer_rejectsAnyOtherLength(uint256 lengthSeed, uint256 fillSeed, bool fromValid) public {
        bytes memory params =
            fromValid
                ? _resize(abi.encode(TransferParams(address(1), 1, address(2))), lengthSeed, fillSeed, 96)
                : _randomBytes(_lengthOtherThan(lengthSeed, 96), fillSeed);
        (bool ok, bytes memory ret) = address(harness).call(
            abi.encodeCall(ValidationHarness.validateTransfer, (params))
        );
        _assertOutcome(ok, ret, abi.encodeWithSelector(TransferRules.MalformedParams.selector, params.length, 96));
    }

    /// @notice A 96-byte transfer whose address words carry non-zero upper bits is not a valid
    /// ABI encoding and is rejected (no silent truncation to 160 bits).
    function testFuzz_transfer_rejectsAddressWordsWithDirtyUpperBits(
        address token,
        uint256 amount,
        address recipient,
        uint256 dirt,
        bool dirtyRecipient
    ) public {
        uint256 upper = bound(dirt, 1, (1 << 96) - 1) << 160;
        uint256 tokenWord = uint256(uint160(token)) | (dirtyRecipient ? 0 : upper);
        uint256 recipientWord = uint256(uint160(recipient)) | (dirtyRecipient ? upper : 0);
        (bool ok, ) = address(harness).call(
            abi.encodeCall(ValidationHarness.validateTransfer, (abi.encode(tokenWord, amount, recipientWord)))
        );
        assertTrue(!ok, "dirty address word rejected");
    }

    // ------------------------------------------------------------------ swaps

    /// @notice A 160-byte swap is accepted iff tokenIn, tokenOut and recipient are non-zero,
    /// tokenIn != tokenOut and both amounts are non-zero; otherwise the first failing check's
    /// error (ZeroAddressParam, SameToken, ZeroAmountParam) is returned.
    function testFuzz_swap_acceptsIffDocumentedConditionsHold(
        address tokenIn,
        uint256 amountIn,
        address tokenOut,
        uint256 minAmountOut,
        address recipient,
        uint8 mask
    ) public {
        if (mask & 1 != 0) tokenIn = address(0);
        if (mask & 2 != 0) tokenOut = address(0);
        if (mask & 4 != 0) recipient = address(0);
        if (mask & 8 != 0) tokenOut = tokenIn;
        if (mask & 16 != 0) amountIn = 0;
        if (mask & 32 != 0) minAmountOut = 0;
        bytes memory expected;
        if (tokenIn == address(0)) expected = _zeroAddress(0);
        else if (tokenOut == address(0)) expected = _zeroAddress(2);
        else if (recipient == address(0)) expected = _zeroAddress(4);
        else if (tokenIn == tokenOut) expected = abi.encodeWithSelector(SwapRules.SameToken.selector, tokenIn);
        else if (amountIn == 0) expected = _zeroAmount(1);
        else if (minAmountOut == 0) expected = _zeroAmount(3);

        bytes memory params = abi.encode(SwapParams(tokenIn, amountIn, tokenOut, minAmountOut, recipient));
        (bool ok, bytes memory ret) = address(harness).call(abi.encodeCall(ValidationHarness.validateSwap, (params)));
        _assertOutcome(ok, ret, expected);
        if (ok) {
            SwapParams memory p = abi.decode(ret, (SwapParams));
            assertEq(p.tokenIn, tokenIn, "decoded tokenIn");
            assertEq(p.amountIn, amountIn, "decoded amountIn");
            assertEq(p.tokenOut, tokenOut, "decoded tokenOut");
            assertEq(p.minAmountOut, minAmountOut, "decoded minAmountOut");
            assertEq(p.recipient, recipient, "decoded recipient");
        }
    }

    /// @notice Swap params of any length other than 160 bytes (a transfer's 96 included) revert
    /// with `MalformedParams(length, 160)`.
    function testFuzz_swap_rejectsAnyOtherLength(uint256 lengthSeed, uint256 fillSeed, bool fromValid) public {
        bytes memory params =
            fromValid
                ? _resize(abi.encode(SwapParams(address(1), 1, address(2), 1, address(3))), lengthSeed, fillSeed, 160)
                : _randomBytes(_lengthOtherThan(lengthSeed, 160), fillSeed);
        (bool ok, bytes memory ret) = address(harness).call(abi.encodeCall(ValidationHarness.validateSwap, (params)));
        _assertOutcome(ok, ret, abi.encodeWithSelector(TransferRules.MalformedParams.selector, params.length, 160));
    }

    // ------------------------------------------------------------------ token policy

    /// @notice `_checkToken` accepts iff the token is allowed for the type and
    /// `minAmount <= amount <= maxAmount`; otherwise `TokenNotAllowed` or `AmountOutOfBounds`.
    /// `_checkTokenAllowed` accepts iff allowed. The stored policy reads back exactly and leaves
    /// other (type, token) pairs unset.
    function testFuzz_tokenPolicy_acceptsIffAllowedAndWithinBounds(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minSeed,
        uint256 maxSeed,
        uint256 amountSeed
    ) public {
        if (token == address(0)) token = address(0xBEEF);
        uint256 minAmount = minSeed % 4 == 0 ? bound(minSeed, 0, 16) : bound(minSeed, 0, MASK_120);
        uint256 maxAmount = maxSeed % 4 == 0 ? minAmount : bound(maxSeed, minAmount, type(uint128).max);
        harness.setTokenPolicy(intentType, token, allowed, minAmount, maxAmount);

        (bool storedAllowed, uint256 storedMin, uint256 storedMax) = harness.tokenPolicy(intentType, token);
        assertTrue(storedAllowed == allowed, "allowed reads back");
        assertEq(storedMin, minAmount, "minAmount reads back");
        assertEq(storedMax, maxAmount, "maxAmount reads back");
        (bool otherAllowed, uint256 otherMin, uint256 otherMax) = harness.tokenPolicy(intentType ^ 1, token);
        assertTrue(!otherAllowed && otherMin == 0 && otherMax == 0, "another type's policy is untouched");

        uint256 amount = _amountAround(amountSeed, minAmount, maxAmount);
        bytes memory expected;
        if (!allowed) {
            expected = abi.encodeWithSelector(TokenPolicy.TokenNotAllowed.selector, intentType, token);
        } else if (amount < minAmount || amount > maxAmount) {
            expected = abi.encodeWithSelector(
                TokenPolicy.AmountOutOfBounds.selector,
                token,
                amount,
                minAmount,
                maxAmount
            );
        }
        (bool ok, bytes memory ret) = address(harness).call(
            abi.encodeCall(ValidationHarness.checkToken, (intentType, token, amount))
        );
        _assertOutcome(ok, ret, expected);

        (ok, ret) = address(harness).call(abi.encodeCall(ValidationHarness.checkTokenAllowed, (intentType, token)));
        _assertOutcome(
            ok,
            ret,
            allowed ? bytes("") : abi.encodeWithSelector(TokenPolicy.TokenNotAllowed.selector, intentType, token)
        );
    }

    /// @notice A token without a policy is never allowed, whatever the amount.
    function testFuzz_tokenPolicy_unsetTokenIsNeverAllowed(uint8 intentType, address token, uint256 amount) public {
        (bool ok, bytes memory ret) = address(harness).call(
            abi.encodeCall(ValidationHarness.checkToken, (intentType, token, amount))
        );
        _assertOutcome(ok, ret, abi.encodeWithSelector(TokenPolicy.TokenNotAllowed.selector, intentType, token));
    }

    /// @notice Setting a policy succeeds iff the token is non-zero, `minAmount <= maxAmount`,
    /// `minAmount < 2^120` and `maxAmount < 2^128`; otherwise `InvalidTokenPolicy`.
    function testFuzz_tokenPolicy_setAcceptsIffWellFormed(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minSeed,
        uint256 maxSeed,
        uint8 mode
    ) public {
        uint256 minAmount = minSeed;
        uint256 maxAmount = maxSeed;
        uint8 pick = mode % 6;
        if (pick == 0) token = address(0);
        if (pick == 1) (minAmount, maxAmount) = (bound(minSeed, 0, MASK_120), bound(maxSeed, 0, type(uint128).max));
        if (pick == 2) (minAmount, maxAmount) = (bound(minSeed, MASK_120 - 2, MASK_120 + 2), type(uint128).max);
        if (pick == 3)
            (minAmount, maxAmount) = (0, bound(maxSeed, type(uint128).max - 2, uint256(type(uint128).max) + 2));
        if (pick == 4) {
            minAmount = bound(minSeed, 1, MASK_120);
            maxAmount = minAmount - 1;
        }
        bool valid =
            token != address(0) && minAmount <= maxAmount && minAmount <= MASK_120 && maxAmount <= type(uint128).max;
        (bool ok, bytes memory ret) = address(harness).call(
            abi.encodeCall(ValidationHarness.setTokenPolicy, (intentType, token, allowed, minAmount, maxAmount))
        );
        _assertOutcome(
            ok,
            ret,
            valid
                ? bytes("")
                : abi.encodeWithSelector(TokenPolicy.InvalidTokenPolicy.selector, token, minAmount, maxAmount)
        );
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Success iff `expected` is empty; otherwise the revert data must equal `expected`.
    function _assertOutcome(bool ok, bytes memory ret, bytes memory expected) internal pure {
        if (expected.length == 0) {
            assertTrue(ok, "expected acceptance");
        } else {
            assertTrue(!ok, "expected rejection");
            assertEq(keccak256(ret), keccak256(expected), "revert data is the documented custom error");
        }
    }

    function _zeroAddress(uint256 word) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(TransferRules.ZeroAddressParam.selector, word);
    }

    function _zeroAmount(uint256 word) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(TransferRules.ZeroAmountParam.selector, word);
    }

    function _lengthOtherThan(uint256 seed, uint256 forbidden) internal pure returns (uint256 length) {
        length = bound(seed, 0, 400);
        if (length == forbidden) length = seed % 2 == 0 ? forbidden - 1 : forbidden + 1;
    }

    function _randomBytes(uint256 length, uint256 seed) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i += 32) {
            bytes32 chunk = keccak256(abi.encode(seed, i));
            for (uint256 j = 0; j < 32 && i + j < length; j++) out[i + j] = chunk[j];
        }
    }

    /// @dev A valid encoding cut to a shorter length or extended with random bytes (never its
    /// own length).
    function _resize(
        bytes memory valid,
        uint256 lengthSeed,
        uint256 fillSeed,
        uint256 validLength
    ) internal pure returns (bytes memory out) {
        uint256 length = _lengthOtherThan(lengthSeed, validLength);
        out = _randomBytes(length, fillSeed);
        for (uint256 i = 0; i < length && i < validLength; i++) out[i] = valid[i];
    }

    /// @dev An amount at, just inside or just outside the bounds, or anywhere.
    function _amountAround(uint256 seed, uint256 minAmount, uint256 maxAmount) internal pure returns (uint256) {
        uint256 pick = seed % 7;
        uint256 r = seed >> 3;
        if (pick == 0) return minAmount == 0 ? 0 : minAmount - 1;
        if (pick == 1) return minAmount;
        if (pick == 2) return bound(r, minAmount, maxAmount);
        if (pick == 3) return maxAmount;
        if (pick == 4) return maxAmount + 1;
        if (pick == 5) return bound(r, 0, minAmount);
        return r;
    }
}
