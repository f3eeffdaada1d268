// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIntentValidator} from "../interfaces/IIntentValidator.sol";

/// @notice Test helper: a pluggable validator that speaks for a configurable intent type and
/// rejects one chosen user in its type-specific stage and another in its business-rule stage.
contract MockIntentValidator is IIntentValidator {
    uint8 private immutable _intentType;
    address public rejectedInParams;
    address public rejectedInBusiness;

    /// @notice `user`'s intent with `paramsHash` failed the type-specific checks.
    error ParamsRejected(address user, bytes32 paramsHash);
    /// @notice `user`'s intent with `paramsHash` failed the business rules.
    error BusinessRuleRejected(address user, bytes32 paramsHash);

    constructor(uint8 intentType_) {
        _intentType = intentType_;
    }

    /// @notice Chooses who each stage rejects (zero rejects nobody).
    function setRejections(address inParams, address inBusiness) external {
        rejectedInParams = inParams;
        rejectedInBusiness = inBusiness;
    }

    /// @inheritdoc IIntentValidator
    function intentType() external view returns (uint8) {
        return _intentType;
    }

    /// @inheritdoc IIntentValidator
    function validateParams(address user, bytes calldata params) external view {
        if (user == rejectedInParams) revert ParamsRejected(user, keccak256(params));
    }

    /// @inheritdoc IIntentValidator
    function checkBusinessRules(address user, bytes calldata params) external view {
        if (user == rejectedInBusiness) revert BusinessRuleRejected(user, keccak256(params));
    }
}
