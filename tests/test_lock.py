"""The environment the suite runs in is exactly requirements.lock: nothing more, nothing else."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
#: Installed by the virtual environment itself or by `pip install -e .`, not from the lock.
NOT_LOCKED = {"pip", "eventapp"}
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$"
)


def locked_for_this_python() -> dict[str, str]:
    """Name → version of every lock line whose environment marker holds here."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match and (not match["marker"] or Marker(match["marker"]).evaluate()):
            pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def installed() -> dict[str, str]:
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) not in NOT_LOCKED
    }


def test_every_lock_line_is_pinned_with_hashes():
    text = LOCK.read_text()
    requirements = re.findall(r"^[A-Za-z0-9._-]+[=<>!~].*$", text, flags=re.MULTILINE)

    assert requirements, "requirements.lock lists no requirement"
    assert all(PIN.match(line) for line in requirements), "a requirement is not pinned with =="
    blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks)


def test_installed_packages_are_exactly_the_locked_versions():
    assert installed() == locked_for_this_python()
