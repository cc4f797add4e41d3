"""Longer fuzz run of the property tests (CI runs them with 500 examples each).

    python benchmarks/fuzz.py                 # 20,000 examples per property
    python benchmarks/fuzz.py --examples 200000 -x

Runs tests/test_properties.py with KENNISBANK_FUZZ_EXAMPLES set; extra
arguments go to pytest. A failure is shrunk and kept in .hypothesis/, so the
next plain `pytest` run replays it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1] / "tests" / "test_properties.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="examples per property (default 20000)")
    options, pytest_args = parser.parse_known_args()
    os.environ["KENNISBANK_FUZZ_EXAMPLES"] = str(options.examples)
    return pytest.main([str(TESTS), "-q", *pytest_args])


if __name__ == "__main__":
    sys.exit(main())
