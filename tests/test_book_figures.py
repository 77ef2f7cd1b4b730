"""The figures the book prints, reproduced with numpy_impl after nnfs.init()
(in a child process, because nnfs.init() patches NumPy process-wide).

Printed in the book for the untrained spiral network (chapters 5 and 9):
the first five softmax rows, "Loss: 1.0986104" and "Accuracy: 0.34".
The loss and accuracy match to every printed digit. Some softmax elements differ
from the printed ones by one float32 unit in the last place (about 3e-8): NumPy's
vectorized float32 exp (NumPy >= 1.22) rounds differently from the NumPy the book
was printed with; the tolerance below is two such units.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BOOK_SOFTMAX_ROWS = [[0.33333334, 0.33333334, 0.33333334],
                     [0.33333316, 0.3333332, 0.33333364],
                     [0.33333287, 0.3333329, 0.33333418],
                     [0.3333326, 0.33333263, 0.33333477],
                     [0.33333233, 0.3333324, 0.33333528]]
BOOK_LOSS = "1.0986104"
BOOK_ACCURACY = 0.34


@pytest.fixture(scope="module")
def chapter_9():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fixtures", "book_scenarios.py"), "chapter_9_spiral"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_untrained_spiral_loss_and_accuracy_as_printed(chapter_9):
    assert chapter_9["loss_dtype"] == "float32"
    assert str(np.float32(chapter_9["loss"])) == BOOK_LOSS
    assert chapter_9["accuracy"] == BOOK_ACCURACY


def test_untrained_spiral_softmax_rows_as_printed(chapter_9):
    ulp = np.spacing(np.float32(1 / 3))
    np.testing.assert_allclose(chapter_9["softmax_first_rows"], BOOK_SOFTMAX_ROWS,
                               rtol=0, atol=2 * float(ulp))


def test_nnfs_patch_stays_in_the_child_process(chapter_9):
    # The test session itself must still have NumPy's own functions.
    assert np.dot.__module__ != "nnfs.core"
    assert np.random.randn(1).dtype == np.float64
