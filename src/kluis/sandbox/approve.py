"""Approving a sandbox consent without a browser: the plain form POST that scripts use.

The sandbox's approval page posts `decision` and `psu_id` back to its own URL; this does the
same, so the demo, the `kluis link` shortcut and tests can stand in for the customer.
"""

from __future__ import annotations

from typing import Literal

import httpx

from kluis.errors import BankRequestRejected, BankUnavailable

Decision = Literal["approve", "deny"]


async def decide_in_sandbox(
    http: httpx.AsyncClient, sca_redirect: str, psu_id: str, decision: Decision = "approve"
) -> None:
    """Approve (or refuse) at the sandbox's approval URL as the customer `psu_id` would."""
    try:
        response = await http.post(
            sca_redirect,
            data={"decision": decision, "psu_id": psu_id},
            follow_redirects=False,
        )
    except httpx.TransportError as exc:
        raise BankUnavailable("the sandbox bank's approval page cannot be reached") from exc
    if response.status_code not in {200, 302, 303}:
        raise BankRequestRejected(
            f"the sandbox bank did not accept the decision ({response.status_code})",
            status_code=response.status_code,
        )
