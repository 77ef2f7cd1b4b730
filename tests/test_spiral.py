"""End to end: the book's spiral-data network (Dense(2,3) -> ReLU -> Dense(3,3)
-> Softmax + cross-entropy) through the implementation under test and through
torch: every layer's output and gradient, and the loss, must agree."""
import numpy as np
import pytest

from .compare import compare
from .networks import CLASSES, run_spiral, spiral_data, spiral_parameters, torch_spiral
from .strategies import DTYPES


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spiral_network_matches_torch(impl, dtype, seed):
    classes = {}
    for role, names in CLASSES.items():
        cls = impl.find(names)
        if cls is None:
            pytest.skip(f"{impl.label} has no {names[0]}: the spiral network needs it")
        classes[role] = cls
    X, y = spiral_data(seed=seed)
    X = X.astype(dtype)
    p = spiral_parameters(dtype, seed)
    yours = run_spiral(classes, X, y, p)
    theirs, scales = torch_spiral(X, y, p)
    bad = [compare("spiral network", q, yours[q], theirs[q], scales[q], dtype)
           for q in theirs]
    bad = [v.message() for v in bad if not v.ok]
    assert not bad, "\n".join(bad)
