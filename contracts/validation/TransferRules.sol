// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TransferParams} from "../libraries/IntentTypes.sol";

/**
 * @title TransferRules
 * @notice Built-in type-specific validation of transfer intents: `amount` of a non-zero
 * `token` to a non-zero `recipient`.
 */
library TransferRules {
    /// @dev abi.encode(TransferParams) is three static words.
    uint256 internal constant PARAMS_LENGTH = 96;

    /// @notice The encoded parameters do not have the length this type needs.
    error MalformedParams(uint256 length, uint256 expected);
    /// @notice A required address parameter is zero.
    error ZeroAddressParam(string field);
    /// @notice A required amount parameter is zero.
    error ZeroAmountParam(string field);

    /// @notice Decodes `params` and reverts unless they form a valid transfer.
    function validate(bytes calldata params) internal pure returns (TransferParams memory p) {
        if (params.length != PARAMS_LENGTH) revert MalformedParams(params.length, PARAMS_LENGTH);
        p = abi.decode(params, (TransferParams));
        if (p.token == address(0)) revert ZeroAddressParam("token");
        if (p.recipient == address(0)) revert ZeroAddressParam("recipient");
        if (p.amount == 0) revert ZeroAmountParam("amount");
    }
}
