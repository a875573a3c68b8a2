"""The modem route's fixtures, for the end-to-end test that runs on both providers."""
from tests.support.gammu_smsd import gammu_url, smsd  # noqa: F401 (fixtures)
