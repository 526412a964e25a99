"""Fixtures of the supervision tests: the commander tests' store and context makers."""

from tests.commander.conftest import make_ctx, make_store  # noqa: F401
