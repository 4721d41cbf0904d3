import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The demo stores files (self-inspection reports, evidence): in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
