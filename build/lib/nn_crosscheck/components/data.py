"""The Fashion-MNIST loader (chapter 19): load_mnist_dataset(dataset, path) and
create_data_mnist(path), on a tiny data set written here in the book's folder
layout (path/train/<label>/<n>.png, path/test/...), a few 28x28 8-bit
grayscale PNGs written with Pillow: no download.

The book reads the images with OpenCV (cv2.imread(file, cv2.IMREAD_UNCHANGED)).
When cv2 is not installed (it is not a dependency of this tool), the check
gives the user's module a stand-in cv2 whose imread reads the PNG with Pillow,
as cv2 would (an 8-bit grayscale image comes back as a uint8 array of shape
(28, 28)), and says so. The reference is the same traversal done here: the
folders in os.listdir order, images as uint8 arrays, labels as uint8.
"""
import os
import tempfile

import numpy as np

from ..loader import MissingModule
from ..records import Check
from .common import Case

QUANTITIES = ("X", "y", "X_test", "y_test")
LABELS, PER_LABEL = 3, (4, 2)          # classes; images per class in train, test


class Cv2StandIn:
    """The part of OpenCV the book's loader uses, with Pillow."""
    IMREAD_UNCHANGED, IMREAD_GRAYSCALE, IMREAD_COLOR = -1, 0, 1

    @staticmethod
    def imread(path, flags=1):
        from PIL import Image
        with Image.open(path) as image:
            if flags == 0:
                image = image.convert("L")
            return np.array(image)

    @staticmethod
    def resize(image, size):
        from PIL import Image
        return np.array(Image.fromarray(image).resize(size))


def write_images(folder, case):
    from PIL import Image
    for dataset, images in (("train", case.arrays["train"]), ("test", case.arrays["test"])):
        labels = case.arrays[f"{dataset}_labels"]
        for n, (image, label) in enumerate(zip(images, labels)):
            target = os.path.join(folder, dataset, str(label))
            os.makedirs(target, exist_ok=True)
            Image.fromarray(image, mode="L").save(os.path.join(target, f"{n:04d}.png"))


def expected(folder, dataset):
    """The book's traversal, done here: X (uint8 images), y (uint8 labels)."""
    X, y = [], []
    for label in os.listdir(os.path.join(folder, dataset)):
        for file in os.listdir(os.path.join(folder, dataset, label)):
            X.append(Cv2StandIn.imread(os.path.join(folder, dataset, label, file), -1))
            y.append(label)
    return np.array(X), np.array(y).astype("uint8")


def data_demo(rng, dtype):
    arrays = {}
    for dataset, count in zip(("train", "test"), PER_LABEL):
        labels = np.repeat(np.arange(LABELS), count)
        arrays[dataset] = rng.integers(0, 256, size=(len(labels), 28, 28), dtype=np.uint8)
        arrays[f"{dataset}_labels"] = labels
    return Case(dtype, f"{LABELS} classes, {PER_LABEL[0]} + {PER_LABEL[1]} images each", arrays)


def data_run(s, c):
    module = s.implementation.module
    cv2 = getattr(module, "cv2", None)
    stand_in = cv2 is None or isinstance(cv2, MissingModule)
    if stand_in:
        module.cv2 = Cv2StandIn
        s.notes.append("cv2 is not installed: the check gave the module a cv2 whose imread "
                       "reads the PNGs with Pillow, as cv2.imread(file, cv2.IMREAD_UNCHANGED) "
                       "would")
    try:
        with tempfile.TemporaryDirectory() as folder:
            write_images(folder, c)
            loader = s.wrap("create_data_mnist", s.binder.find("create_data_mnist").obj,
                            "create_data_mnist")
            result = s.call_function(loader, folder, raising=QUANTITIES)
            try:
                X, y, X_test, y_test = result
            except (TypeError, ValueError):
                X = y = X_test = y_test = None
                s.notes.append(f"create_data_mnist returned {type(result).__name__}, not "
                               f"(X, y, X_test, y_test)")
            for name, value in zip(QUANTITIES, (X, y, X_test, y_test)):
                s.produce(name, value)
            train, test = expected(folder, "train"), expected(folder, "test")
            for name, value in zip(QUANTITIES, train + test):
                s.override(f"expected_{name}", value)
    finally:
        if stand_in:
            module.cv2 = cv2


def data_reference(c):
    return {q: c.arrays.get(f"expected_{q}", np.zeros(0)) for q in QUANTITIES}


FASHION_MNIST = Check(
    name="Fashion-MNIST loader", chapter=19.5, roles=("create_data_mnist",),
    quantities=QUANTITIES, cases=None, demo=data_demo, run=data_run, reference=data_reference,
    error_scale=lambda c: {q: 0.0 for q in QUANTITIES}, dtypes=(np.float64,), poison=False,
    shrink=False)

CHECKS = (FASHION_MNIST,)
