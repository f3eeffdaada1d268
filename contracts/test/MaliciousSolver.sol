// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Test helper: a solver contract that forwards calls (register, claim, fulfil) and,
/// when it receives tokens during a settlement, tries to re-enter the verifier.
contract MaliciousSolver {
    address public immutable owner;
    bytes public reentryPayload;
    address public reentryTarget;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryRevertData;

    constructor() {
        owner = msg.sender;
    }

    /// @notice Calls `target` with `data` as this contract.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "not owner");
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    /// @notice Approves `spender` for `token`.
    function approveToken(IERC20 token, address spender, uint256 amount) external {
        require(msg.sender == owner, "not owner");
        token.approve(spender, amount);
    }

    /// @notice Sets the call made when the verifier hands this solver tokens (ERC-777 style hook).
    function armReentry(address target, bytes calldata payload) external {
        require(msg.sender == owner, "not owner");
        reentryTarget = target;
        reentryPayload = payload;
    }

    /// @notice Hook a hostile token calls on receipt; re-enters the armed target once.
    function onTokenReceived() external {
        address target = reentryTarget;
        if (target == address(0)) return;
        reentryTarget = address(0);
        reentryAttempted = true;
        (bool ok, bytes memory data) = target.call(reentryPayload);
        reentrySucceeded = ok;
        reentryRevertData = data;
    }
}
