"""This project's own tests: the engine (loader, binding, comparison,
diagnosis, reports, command line, plugin), the corpus of learner-style files,
the mistake catalogue, numpy_impl's book figures and validation, and the
reference's gradients.

Two tiers: the default run (`scripts/test`, about 30 s with the cross-check of
numpy_impl) and the tests marked `slow` (`scripts/test --all`, which CI runs
too): the whole corpus's training and Model scenarios, the whole catalogue, the
commands in subprocesses and the install in a fresh virtual environment.
"""
import pytest
import torch


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: part of scripts/test --all (and CI), not of "
                                       "the default run")


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """Small tensors: torch's thread pool only adds overhead and contends with the
    other xdist worker."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
