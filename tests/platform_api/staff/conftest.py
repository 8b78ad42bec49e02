"""Case fixtures (see case_fixtures.py)."""

from tests.platform_api.staff.case_fixtures import *  # noqa: F403
