"""Hypothesis profiles; choose one with HYPOTHESIS_PROFILE (default: "default")."""

import os
import sys
from pathlib import Path

from hypothesis import settings

# Test modules import the shared strategies as ``strategies`` (pytest runs in importlib mode).
sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("default", max_examples=100, deadline=None)
# CI is derandomised so a run is repeatable; local runs keep exploring new examples.
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
