"""The project's settings with MEDIA_ROOT from the environment, for the backup of files."""

import os

from selfdirect.settings import *  # noqa: F403

MEDIA_ROOT = os.environ["TEST_MEDIA_ROOT"]
