from __future__ import annotations

import pytest

from tests.woo.factories import Captured, make_thread


@pytest.fixture
def captured(ministry) -> Captured:  # type: ignore[no-untyped-def]
    return make_thread()
