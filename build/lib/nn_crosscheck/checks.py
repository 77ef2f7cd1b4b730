"""The cross-check as pytest items: one per check of the registry
(nn_crosscheck/components) and dtype, run against the implementation given
with --crosscheck (see pytest_plugin.py, which collects this file).

Each item asks, on the check's demo case and on generated cases (the active
Hypothesis profile says how many): does every quantity (output, loss,
dweights, dbiases, dinputs, predictions, an optimizer's trajectory, a
training run's losses, ...) equal torch's under the tolerance policy, with
torch's dtype and shape; are NaN and infinity propagated where torch
propagates them; are the arguments left untouched? It fails with the
verdicts in words; it is skipped when the implementation has nothing for it.
"""
