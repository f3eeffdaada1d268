// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIntentValidator} from "../interfaces/IIntentValidator.sol";
import {INTENT_TYPE_TRANSFER, TransferParams} from "../libraries/IntentTypes.sol";
import {TokenPolicy} from "./TokenPolicy.sol";

/**
 * @title TransferValidator
 * @notice Validates transfer intents: `amount` of an allowed `token`, within its bounds, to a
 * non-zero `recipient`.
 */
contract TransferValidator is IIntentValidator, TokenPolicy {
    /// @dev abi.encode(TransferParams) is three static words.
    uint256 private constant PARAMS_LENGTH = 96;

    /**
     * @param admin initial default admin and policy admin
     * @param adminDelay delay before a default-admin handover takes effect
     */
    constructor(address admin, uint48 adminDelay) TokenPolicy(admin, adminDelay) {}

    /// @inheritdoc IIntentValidator
    function intentType() external pure returns (uint8) {
        return INTENT_TYPE_TRANSFER;
    }

    /// @inheritdoc IIntentValidator
    function validateParams(bytes calldata params) external pure {
        _requireLength(params, PARAMS_LENGTH);
        TransferParams memory p = abi.decode(params, (TransferParams));
        if (p.token == address(0)) revert ZeroAddressParam("token");
        if (p.recipient == address(0)) revert ZeroAddressParam("recipient");
        if (p.amount == 0) revert ZeroAmountParam("amount");
    }

    /// @inheritdoc IIntentValidator
    function checkBusinessRules(bytes calldata params) external view {
        TransferParams memory p = abi.decode(params, (TransferParams));
        _checkToken(p.token, p.amount);
    }
}
