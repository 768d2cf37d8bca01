"""The child's space fixtures the upload tests share with tests/child_space."""

from tests.child_space.test_child_space import family  # noqa: F401
