from tests.actions.conftest import *  # noqa: F403 - an LCSPR with actions, and its people
