// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SwapParams, TransferParams} from "../../../contracts/libraries/IntentTypes.sol";
import {SwapRules} from "../../../contracts/validation/SwapRules.sol";
import {TokenPolicy} from "../../../contracts/validation/TokenPolicy.sol";
import {TransferRules} from "../../../contracts/validation/TransferRules.sol";

/// @notice Exposes the built-in validation libraries on calldata, and {TokenPolicy}'s internal
/// setter and checks, for the fuzz tests in ValidationRules.t.sol.
contract ValidationHarness is TokenPolicy {
    /// @notice {TransferRules-validate} on `params` as calldata.
    function validateTransfer(bytes calldata params) external pure returns (TransferParams memory) {
        return TransferRules.validate(params);
    }

    /// @notice {SwapRules-validate} on `params` as calldata.
    function validateSwap(bytes calldata params) external pure returns (SwapParams memory) {
        return SwapRules.validate(params);
    }

    /// @notice Unguarded {TokenPolicy-_setTokenPolicy}.
    function setTokenPolicy(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    ) external {
        _setTokenPolicy(intentType, token, allowed, minAmount, maxAmount);
    }

    /// @notice {TokenPolicy-_checkToken}.
    function checkToken(uint8 intentType, address token, uint256 amount) external view {
        _checkToken(intentType, token, amount);
    }

    /// @notice {TokenPolicy-_checkTokenAllowed}.
    function checkTokenAllowed(uint8 intentType, address token) external view {
        _checkTokenAllowed(intentType, token);
    }
}
