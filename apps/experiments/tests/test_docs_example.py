"""The worked example in docs/experiments.md is the real output of docs/examples/exp_2025_163.py."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SEED = Path(os.environ.get("SEED_FILE", REPO.parent / "shared" / "seeds" / "000_63b8c18a0b6eac29.txt"))


@pytest.mark.skipif(not SEED.exists(), reason="the seed log is not next to this checkout")
def test_the_docs_show_what_the_example_prints_for_the_seed():
    output = subprocess.run([sys.executable, "docs/examples/exp_2025_163.py", str(SEED)], cwd=REPO, check=True,
                            capture_output=True, text=True, env={**os.environ}).stdout
    assert "control" in output and "flagged=False" in output
    assert output.strip() in (REPO / "docs" / "experiments.md").read_text()
