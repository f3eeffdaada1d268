// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test helper: an ERC-20 that, once armed, calls `target` with `payload` from inside
/// every transfer and records whether that call succeeded and what it reverted with.
contract ReentrantToken is ERC20 {
    address public reentryTarget;
    bytes public payload;
    bool public attempted;
    bool public reentered;
    bytes public revertData;

    constructor() ERC20("Reentrant Token", "REENTER") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Calls `target_` with `payload_` during the next transfers.
    function arm(address target_, bytes calldata payload_) external {
        reentryTarget = target_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (reentryTarget != address(0) && from != address(0)) {
            address callee = reentryTarget;
            reentryTarget = address(0);
            attempted = true;
            (bool ok, bytes memory data) = callee.call(payload);
            reentered = ok;
            revertData = data;
        }
    }
}
