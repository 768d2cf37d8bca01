"""The child's-space browser fixtures, shared with tests/e2e/test_child_space.py."""

from tests.e2e.test_child_space import (  # noqa: F401
    invite,
    mic_browser,
    microphone_clip,
    space_app,
    space_server,
    tablet,
)
