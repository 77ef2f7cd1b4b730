"""Every check, one file per family of the book (as OpInfo splits its
definitions by domain). REGISTRY is the single list the engine, the pytest
plugin, the report and the diagnosis read; its order is the book's."""
from . import accuracy, activations, data, layers, losses, model, networks, neuron, optimizers

REGISTRY = tuple(sorted(layers.CHECKS + activations.CHECKS + losses.CHECKS + optimizers.CHECKS
                        + networks.CHECKS + accuracy.CHECKS + model.CHECKS + data.CHECKS
                        + neuron.CHECKS,
                        key=lambda check: check.chapter))

BY_ID = {check.id: check for check in REGISTRY}
ORDER = {}
for position, check in enumerate(REGISTRY):
    ORDER.setdefault(check.name, position)


def checks_named(name):
    """The checks of one name (an optimizer has one per family of settings)."""
    return [check for check in REGISTRY if check.name == name]
