"""symbiosis — industrial symbiosis matchmaking.

Data flows one way: declarations → graph → candidates → model → plan → API/dashboard.
`symbiosis.domain` holds the validated vocabulary every other layer speaks.
"""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DATASETS_DIR = REPO_DIR / "datasets"
