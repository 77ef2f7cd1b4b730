"""The cross-check suite. Its harness modules (registry, strategies, tolerances,
comparison, implementation loader) are also used by the scripts."""
