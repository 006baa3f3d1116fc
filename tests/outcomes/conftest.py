"""The browser fixtures of the door scanner's tests serve the outcomes pages too."""

from tests.checkin.conftest import browser, served  # noqa: F401
