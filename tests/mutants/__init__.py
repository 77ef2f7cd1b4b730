"""The shipped catalogue of classic mistakes, and the machinery that applies one
to a copy of numpy_impl so the suite can be run against it."""
