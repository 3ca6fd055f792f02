import sys
from pathlib import Path

import pytest

# The dummy test plugin is loaded by module path, the way a developer runs a plugin they
# have not packaged yet.
sys.path.insert(0, str(Path(__file__).parent / "plugins"))


@pytest.fixture(scope="session")
def deskcore_plugin_modules():
    return ["deskcore_dummy.plugin"]
