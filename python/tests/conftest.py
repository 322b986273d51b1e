import os
import pathlib
import sys

# Import the package from this checkout, not from an installed copy.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

REPO = pathlib.Path(__file__).resolve().parents[2]
# The build whose tools the tests compare against (ctest sets it).
BUILD = pathlib.Path(os.environ.get("TILECAST_BUILD_DIR", REPO / "build"))
