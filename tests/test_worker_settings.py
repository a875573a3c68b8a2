"""`python worker.py` refuses a WORKER_THREADS it cannot use with a sentence an operator can act on."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value", ["x", "0", "40", "-2"])
def test_a_bad_worker_threads_stops_the_worker_with_a_sentence(value):
    env = dict(os.environ, WORKER_THREADS=value)
    done = subprocess.run([sys.executable, "worker.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "WORKER_THREADS must be a whole number from 1 to 12" in done.stderr
    assert "Traceback" not in done.stderr
