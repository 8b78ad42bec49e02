"""Case fixtures shared with tests/platform_api/staff."""

from tests.platform_api.staff.case_fixtures import *  # noqa: F403
