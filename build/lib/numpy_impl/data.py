"""The Fashion-MNIST loaders of chapter 19, reading the PNG files with Pillow.

The book reads each image with cv2.imread(path, cv2.IMREAD_UNCHANGED); for the
data set's 8-bit grayscale PNGs that is a 2-D uint8 array of the pixel values,
and so is what Pillow gives here (OpenCV is not needed). The data set is laid
out as path/train/<label>/<image>.png and path/test/<label>/<image>.png, each
label folder named by its class number.
"""
import os

import numpy as np


def _read_grayscale_png(path):
    """The image at `path` as a 2-D uint8 array, as cv2.IMREAD_UNCHANGED reads an
    8-bit grayscale PNG."""
    from PIL import Image  # Pillow: imported here, so numpy_impl never needs it otherwise
    with Image.open(path) as image:
        if image.mode != "L":
            raise ValueError(f"load_mnist_dataset: expected 8-bit grayscale images (PIL "
                             f"mode 'L'), received mode {image.mode!r} in {path}")
        return np.array(image)


def load_mnist_dataset(dataset, path):
    """Images and labels of one part ('train' or 'test'), in the book's order:
    label folders as os.listdir lists them, and the images of each likewise."""
    labels = os.listdir(os.path.join(path, dataset))
    X = []
    y = []
    for label in labels:
        for file in os.listdir(os.path.join(path, dataset, label)):
            X.append(_read_grayscale_png(os.path.join(path, dataset, label, file)))
            y.append(label)
    return np.array(X), np.array(y).astype('uint8')


def create_data_mnist(path):
    """The training and the test images and labels: X, y, X_test, y_test."""
    X, y = load_mnist_dataset('train', path)
    X_test, y_test = load_mnist_dataset('test', path)
    return X, y, X_test, y_test
