from tests.reviews.conftest import *  # noqa: F403 - the review fixtures panels build on
