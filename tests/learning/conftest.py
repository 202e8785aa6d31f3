import pytest

from tests.learning.builders import build_module


@pytest.fixture
def module(db):
    return build_module()
