import sys
from pathlib import Path

# --import-mode=importlib puts no test folder on sys.path: make the end-to-end helpers importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))
