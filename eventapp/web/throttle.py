"""Login throttling: wrong passwords (and codes) per account and network, attempts per network.

Two budgets, kept in Flask-Limiter's storage (Redis with several workers):
- `LOGIN_ACCOUNT_RATE_LIMIT` counts failures for one account from one network. A guesser
  locks the account out of their own network only: its holder still logs in from another.
- `LOGIN_RATE_LIMIT` counts every attempt from one network, whatever the account, so one
  network cannot try many accounts.
A network is the client's IPv4 address, or its IPv6 /64 (one home or office gets a /64).
When a budget is spent the answer is 429 with `Retry-After`.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Sequence

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from eventapp.extensions import limiter
from eventapp.services.accounts import normalize_email

_NETWORK = "login-network"
_ACCOUNT = "login-account"


def client_network() -> str:
    """The client's address, or its /64 for IPv6 (after ProxyFix, when configured)."""
    address = get_remote_address()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def check_login_attempt(email: str) -> None:
    """Count one login attempt from this network. Raises TooManyRequests (429, Retry-After)
    when this network, or this account from this network, has used up its budget."""
    if not limiter.enabled:
        return
    network = client_network()
    account = _account_key(email)
    _refuse_if_spent(_limits("LOGIN_ACCOUNT_RATE_LIMIT"), _ACCOUNT, account, network)
    _refuse_if_spent(_limits("LOGIN_RATE_LIMIT"), _NETWORK, network)
    for item in _limits("LOGIN_RATE_LIMIT"):
        limiter.limiter.hit(item, _NETWORK, network)


def count_login_failure(email: str) -> None:
    """A wrong password or code for `email` from this network."""
    if not limiter.enabled:
        return
    for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT"):
        limiter.limiter.hit(item, _ACCOUNT, _account_key(email), client_network())


def _refuse_if_spent(items: Sequence[RateLimitItem], *keys: str) -> None:
    waits = [
        limiter.limiter.get_window_stats(item, *keys).reset_time - time.time()
        for item in items
        if not limiter.limiter.test(item, *keys)
    ]
    if waits:
        raise TooManyRequests(retry_after=max(1, math.ceil(max(waits))))


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _account_key(email: str) -> str:
    return normalize_email(email)[:254]
