"""The role → permission map answers for real permission names and refuses typos."""

from __future__ import annotations

import pytest

from voice_app.core.permissions import Permission, Role, role_has


def test_a_permission_name_as_templates_write_it_is_understood() -> None:
    assert role_has(Role.PRACTITIONER, "case:edit") is True
    assert role_has(Role.ADMIN, Permission.CASE_READ) is False


def test_a_misspelt_permission_fails_loudly_instead_of_hiding_a_button() -> None:
    with pytest.raises(ValueError, match="case:edt"):
        role_has(Role.PRACTITIONER, "case:edt")
