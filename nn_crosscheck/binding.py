"""Binding: which of the user's classes, attributes, methods and keywords play
the book's parts.

In this order:
1. what the user declared: a dict `NN_CROSSCHECK = {...}` in their module, or
   `--bind BOOK=THEIRS` on the command line, book names on the left:
       NN_CROSSCHECK = {
           "Layer_Dense": "FullyConnected",         # a class
           "dinputs": "grad_in",                     # an attribute, for every class
           "Layer_Dense.weights": "kernel",          # an attribute of one class
           "Optimizer_RMSprop.rho": "decay_rate",    # a keyword of one constructor
           "update_params": "apply_gradients",       # a method
       }
2. the book's exact names;
3. names equal up to case, underscores, word order and common synonyms
   (Layer/Dense, Act/Activation, CCE/CategoricalCrossentropy, BCE, MSE, MAE,
   an Optimizer prefix or suffix, AdaGrad/AdGrad, RMSProp, the combined softmax
   + cross-entropy in any word order), for classes; for attributes and keywords
   the same up to case and underscores, and common aliases (d_inputs, dInputs,
   dinput; weight/W; bias/b; outputs; beta for rho; upper-case L1/L2).
Every binding that is not exact is said once, in one line.
"""
import difflib
import inspect
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------- words of class names
# Class names are split into these words (after lower-casing and dropping
# underscores and digits); a name that does not split into known words is not
# a candidate for any role. Synonyms map to one canonical word.
SYNONYMS = {
    "act": "activation", "activation": "activation", "activations": "activation", "fn": "", "func": "", "function": "",
    "layer": "", "layers": "", "optimizer": "", "optimiser": "", "optim": "", "opt": "",
    "class": "", "my": "", "custom": "", "simple": "", "base": "", "common": "", "general": "",
    "and": "", "with": "", "combined": "combined", "composite": "combined", "fused": "combined",
    "fully": "fully", "connected": "connected", "fc": "dense", "dense": "dense",
    "relu": "relu", "rectified": "relu", "softmax": "softmax", "sigmoid": "sigmoid",
    "logistic": "sigmoid", "linear": "linear", "identity": "linear",
    "dropout": "dropout", "input": "input",
    "loss": "loss", "cost": "loss", "categorical": "categorical", "crossentropy": "crossentropy",
    "cross": "cross", "entropy": "entropy", "cce": "cce", "bce": "bce", "mse": "mse", "mae": "mae",
    "binary": "binary", "mean": "mean", "squared": "squared", "square": "squared",
    "absolute": "absolute", "abs": "absolute", "error": "error", "err": "error",
    "accuracy": "accuracy", "regression": "regression",
    "sgd": "sgd", "stochastic": "stochastic", "gradient": "gradient", "descent": "descent",
    "adagrad": "adagrad", "adgrad": "adagrad", "rmsprop": "rmsprop", "adam": "adam",
    "model": "model", "network": "network", "neural": "neural", "net": "network",
}
_VOCABULARY = sorted(SYNONYMS, key=len, reverse=True)
EXPANSIONS = {"cce": ("categorical", "crossentropy"), "bce": ("binary", "crossentropy"),
              "mse": ("mean", "squared", "error"), "mae": ("mean", "absolute", "error")}


@lru_cache(maxsize=None)
def words(name):
    """The canonical words of a class name, or None when it does not split into
    known words: 'ReLUActivation' -> ('relu', 'activation')."""
    text = re.sub(r"[^a-z]", "", name.lower())
    if not text:
        return None
    # Fewest words that cover the whole text (dynamic programming).
    best = [None] * (len(text) + 1)
    best[0] = ()
    for i in range(len(text)):
        if best[i] is None:
            continue
        for word in _VOCABULARY:
            if text.startswith(word, i):
                j = i + len(word)
                if best[j] is None or len(best[j]) > len(best[i]) + 1:
                    best[j] = best[i] + (word,)
    if best[len(text)] is None:
        return None
    out = []
    for word in best[len(text)]:
        canonical = SYNONYMS[word]
        out.extend(EXPANSIONS.get(canonical, (canonical,)) if canonical else ())
    merged = " ".join(out).replace("cross entropy", "crossentropy").replace(
        "fully connected", "dense").replace("stochastic gradient descent", "sgd").replace(
        "neural network", "network")
    return tuple(merged.split())


def _role_of(name, arity):
    """The book role a class name (with `arity` required constructor arguments)
    plays, by its words, or None."""
    w = words(name)
    if w is None:
        return None
    if not w and re.fullmatch(r"(?i)(my_?)?layer", name.strip("_")) and arity == 2:
        return "Layer_Dense"          # a bare Layer(n_inputs, n_neurons) is the dense layer
    s = set(w)
    other_activation = s & {"relu", "sigmoid", "linear"}
    lossy = "loss" in s or "crossentropy" in s
    if lossy and ("softmax" in s or "activation" in s or "combined" in s) \
            and not other_activation and "binary" not in s:
        if "softmax" in s or "combined" in s or "crossentropy" in s or "activation" in s:
            return "Activation_Softmax_Loss_CategoricalCrossentropy"
    core = s - {"activation", "loss", "combined"}
    if s == {"loss"}:
        return "Loss"
    if core == {"categorical", "crossentropy"} or core == {"crossentropy"} or (
            core == {"categorical"} and "loss" in s):
        return "Loss_CategoricalCrossentropy" if "accuracy" not in s else None
    if core == {"binary", "crossentropy"}:
        return "Loss_BinaryCrossentropy"
    if core in ({"mean", "squared", "error"}, {"squared", "error"}):
        return "Loss_MeanSquaredError"
    if core in ({"mean", "absolute", "error"}, {"absolute", "error"}):
        return "Loss_MeanAbsoluteError"
    if core == {"accuracy"}:
        return "Accuracy"
    if core == {"categorical", "accuracy"}:
        return "Accuracy_Categorical"
    if core == {"regression", "accuracy"}:
        return "Accuracy_Regression"
    if core == {"dense"}:
        return "Layer_Dense"
    if core == {"linear"}:
        if "activation" in s:
            return "Activation_Linear"
        return "Layer_Dense" if arity >= 2 else "Activation_Linear"
    single = {"relu": "Activation_ReLU", "softmax": "Activation_Softmax",
              "sigmoid": "Activation_Sigmoid", "dropout": "Layer_Dropout", "input": "Layer_Input",
              "sgd": "Optimizer_SGD", "adagrad": "Optimizer_Adagrad",
              "rmsprop": "Optimizer_RMSprop", "adam": "Optimizer_Adam", "model": "Model",
              "network": "Model"}
    if len(core) == 1:
        return single.get(next(iter(core)))
    return None


# The book's roles: name -> (other exact spellings, required constructor arguments).
ROLES = {
    "Layer_Dense": ((), 2), "Layer_Dropout": ((), 1), "Layer_Input": ((), 0),
    "Activation_ReLU": ((), 0), "Activation_Softmax": ((), 0), "Activation_Sigmoid": ((), 0),
    "Activation_Linear": ((), 0), "Loss": ((), 0),
    "Loss_CategoricalCrossentropy": (("Loss_CategoricalCrossEntropy",), 0),
    "Activation_Softmax_Loss_CategoricalCrossentropy": (
        ("Activation_Softmax_Loss_CategoricalCrossEntropy",), 0),
    "Loss_BinaryCrossentropy": (("Loss_BinaryCrossEntropy",), 0),
    "Loss_MeanSquaredError": ((), 0), "Loss_MeanAbsoluteError": ((), 0),
    "Accuracy": ((), 0), "Accuracy_Categorical": ((), 0), "Accuracy_Regression": ((), 0),
    "Optimizer_SGD": ((), 0), "Optimizer_Adagrad": ((), 0), "Optimizer_RMSprop": ((), 0),
    "Optimizer_Adam": ((), 0), "Model": ((), 0),
}
# Book functions looked up by name (exact, or equal up to case and underscores).
FUNCTIONS = ("train_single_neuron", "load_mnist_dataset", "create_data_mnist")

# ---------------------------------------------------------------- attributes, methods, keywords
ATTRIBUTE_ALIASES = {
    "output": ("outputs", "out", "activation_output", "a"),
    "inputs": ("input", "x", "X"),
    "dinputs": ("dinput", "dx", "dX", "grad_inputs", "grad_input", "input_grad",
                "input_gradient", "inputs_grad", "dvalues"),
    "dweights": ("dweight", "dW", "dw", "grad_weights", "grad_weight", "weights_grad",
                 "weight_grad", "weight_gradient", "dkernel"),
    "dbiases": ("dbias", "db", "dB", "grad_biases", "grad_bias", "bias_grad",
                "bias_gradient", "biases_grad"),
    "weights": ("weight", "W", "w", "kernel"),
    "biases": ("bias", "b", "B"),
    "current_learning_rate": ("current_lr", "lr_current", "learning_rate_current",
                              "current_learningrate"),
    "iterations": ("iteration", "iter", "steps", "step", "t"),
    "binary_mask": ("mask", "dropout_mask", "scaled_mask"),
}
METHOD_ALIASES = {
    "forward": ("forward_pass", "fwd", "forward_propagation", "feed_forward", "feedforward",
                "activate", "forward_prop", "fprop"),
    "backward": ("backward_pass", "backprop", "bwd", "backward_propagation",
                 "back_propagation", "backpropagation"),
    "update_params": ("update_parameters", "update", "update_weights", "apply_gradients"),
    "pre_update_params": ("pre_update_parameters", "pre_update", "before_update"),
    "post_update_params": ("post_update_parameters", "post_update", "after_update"),
    "calculate": ("compute", "calc", "calculate_loss", "loss_calculation", "compute_loss"),
    "predictions": ("prediction", "get_predictions"),
    "regularization_loss": ("regularisation_loss", "reg_loss", "regularization"),
    "calculate_accumulated": ("calculate_accumulated_loss",),
    "new_pass": ("reset", "reset_accumulation"),
}
KEYWORD_ALIASES = {
    "learning_rate": ("lr", "eta", "alpha", "learningrate", "step_size"),
    "decay": ("lr_decay", "decay_rate", "learning_rate_decay"),
    "momentum": ("mu", "momentum_factor"),
    "epsilon": ("eps",),
    "rho": ("beta", "decay_factor", "gamma", "rho_decay"),
    "beta_1": ("beta1", "b1", "momentum_decay"),
    "beta_2": ("beta2", "b2", "cache_decay"),
    "rate": ("dropout_rate", "drop_rate", "dropout", "drop_probability"),
    "weight_regularizer_l1": ("l1_weight", "weight_l1", "l1_weights", "weights_l1",
                              "weight_regularizer_l1", "lambda_l1"),
    "weight_regularizer_l2": ("l2_weight", "weight_l2", "l2_weights", "weights_l2",
                              "weight_regularizer_l2", "lambda_l2"),
    "bias_regularizer_l1": ("l1_bias", "bias_l1", "l1_biases", "biases_l1"),
    "bias_regularizer_l2": ("l2_bias", "bias_l2", "l2_biases", "biases_l2"),
    "binary": ("is_binary", "binary_classification"),
}
# Extra arguments a method may require beyond the book's, and what the book's
# loop can give for them: the learning rate of this step, or the loop counter.
EXTRA_ARGUMENT_KINDS = {
    "learning_rate": ("learning_rate", "lr", "learningrate", "eta", "alpha",
                      "current_learning_rate", "current_lr", "step_size"),
    "iteration": ("epoch", "epochs", "iteration", "iterations", "step", "steps", "t",
                  "i", "it", "iter", "n_iter", "epoch_num", "iteration_num"),
}


# Parameter names that say which of the book's arguments a parameter is: a
# method taking them in another order (forward(y_true, y_pred)) is called by name.
ARGUMENT_WORDS = {
    "y_pred": ("y_pred", "pred", "preds", "prediction", "predictions", "predicted", "output",
               "outputs", "y_hat", "yhat", "dvalues", "probs", "probabilities", "y_predicted"),
    "y_true": ("y_true", "y", "target", "targets", "label", "labels", "truth", "true",
               "y_actual", "actual", "ground_truth", "y_target", "expected"),
    "inputs": ("inputs", "input", "x", "logits", "z", "scores"),
}


def argument_of(parameter_name):
    """The book argument a parameter name says it is ('target' -> 'y_true'), or None."""
    n = normalized(parameter_name)
    found = [book for book, words in ARGUMENT_WORDS.items()
             if n in {normalized(w) for w in words}]
    return found[0] if len(found) == 1 else None


def normalized(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def normalized_member(name):
    """normalized(), and the spellings of one word made one: 'regularization' and
    'regulariser' are 'regularizer'; a trailing 'val' or 'value' is dropped
    ('epsilon_val' is 'epsilon')."""
    n = normalized(name)
    n = re.sub(r"regulari[sz](?:ation|er)", "regularizer", n)
    stripped = re.sub(r"(?:val|value)$", "", n)
    return stripped or n


def close_enough(a, b, ratio=0.9):
    """Equal up to a typo or two: 'loss_calclation' and 'loss_calculation'."""
    a, b = normalized(a), normalized(b)
    return len(a) >= 6 and difflib.SequenceMatcher(None, a, b).ratio() >= ratio


def _library_module(module_name):
    """Is a class from the standard library or an installed package (other than
    this project's numpy_impl)? Such classes are never bound."""
    top = (module_name or "").split(".")[0]
    if top == "numpy_impl" or top.startswith("_impl_under_test_"):
        return False
    if top == "builtins" or top in sys.stdlib_module_names:
        return True
    path = getattr(sys.modules.get(top), "__file__", None) or ""
    return "site-packages" in path or "dist-packages" in path


def _implements_something(cls):
    """Does the class define any method the book's classes have (not an empty stub)?"""
    names = {"forward", "backward", "update_params", "calculate", "train", "predictions"}
    for canonical in list(names):
        names.update(METHOD_ALIASES.get(canonical, ()))
    return any(callable(getattr(cls, n, None)) for n in names)


def required_arity(cls):
    """How many positional arguments the constructor requires (-1: unknown)."""
    try:
        parameters = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return -1
    return sum(1 for p in parameters if p.default is inspect.Parameter.empty
               and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


@dataclass
class Binding:
    role: str            # the book's name
    obj: object          # the user's class or function
    name: str            # the user's name for it
    how: str             # exact | declared | name


class Binder:
    """Finds, caches and reports the user's counterparts of the book's names."""

    def __init__(self, module, label="", declared=None):
        self.module = module
        self.label = label
        self.declared = dict(getattr(module, "NN_CROSSCHECK", None) or {})
        self.declared.update(declared or {})
        self._cache = {}
        self.other_notes = []      # ambiguities, declared names not found
        self._classes = {}         # role -> "your DenseLayer (by its name)"
        self._members = {}         # role -> {book name: your name}
        self._candidates = None
        self.probed = {}           # what the checks found out about a class, once

    # -------------------------------------------------------------- classes
    def candidates(self):
        """{name: class} of the classes the module offers (its own and imported
        from non-library modules), in definition order."""
        if self._candidates is None:
            found = {}
            for name, value in vars(self.module).items():
                if inspect.isclass(value) and not name.startswith("__") \
                        and not _library_module(value.__module__):
                    found[name] = value
            self._candidates = found
        return self._candidates

    def _note(self, text):
        if text not in self.other_notes:
            self.other_notes.append(text)

    @property
    def notes(self):
        """One line per role bound other than exactly (its class and members), in
        the book's order, then the other notes, sorted: the same text whatever
        order the checks ran in."""
        lines = []
        roles = list(self._classes) + [r for r in self._members if r not in self._classes]
        order = {role: i for i, role in enumerate(ROLES)}
        for role in sorted(roles, key=lambda r: (order.get(r, len(order)), r)):
            members = self._members.get(role, {})
            text = f"{role}: {self._classes.get(role, 'your class')}"
            if members:
                pairs = ", ".join(f"{members[book]} for {book}" for book in sorted(members))
                text += f"; {pairs}"
            lines.append(text)
        return lines + sorted(self.other_notes)

    def said(self):
        """What the notes are made of, as plain data: a forked run sends it back."""
        return (dict(self._classes), {r: dict(m) for r, m in self._members.items()},
                list(self.other_notes))

    def hear(self, said):
        """Take in what the binder of a forked run found (its said())."""
        classes, members, other = said
        for role, text in classes.items():
            self._classes.setdefault(role, text)
        for role, pairs in members.items():
            mine = self._members.setdefault(role, {})
            for book, theirs in pairs.items():
                mine.setdefault(book, theirs)
        for text in other:
            self._note(text)

    def find(self, role):
        """The Binding of a book class or function, or None."""
        if role in self._cache:
            return self._cache[role]
        binding = self._find(role)
        self._cache[role] = binding
        if binding is not None and binding.how != "exact":
            how = {"declared": "as you declared", "close": "by a close spelling"}.get(
                binding.how, "by its name")
            self._classes[role] = f"your {binding.name} ({how})"
        return binding

    def _find(self, role):
        namespace = vars(self.module)
        declared = self.declared.get(role)
        if declared is not None:
            obj = namespace.get(declared)
            if obj is None:
                self._note(f"{role}: you declared {declared!r}, but {self.label} has no "
                           f"{declared}")
                return None
            return Binding(role, obj, declared, "declared")
        spellings = (role,) + ROLES.get(role, ((), 0))[0]
        for name in spellings:
            obj = namespace.get(name)
            if obj is not None and (inspect.isclass(obj) or role in FUNCTIONS):
                return Binding(role, obj, name, "exact")
        if role in FUNCTIONS:
            for name, obj in namespace.items():
                if callable(obj) and normalized(name) == normalized(role):
                    return Binding(role, obj, name, "name")
            return None
        taken = {b.obj for b in self._cache.values() if b is not None}
        # a class declared for one role is not matched by name to another
        taken |= {namespace.get(theirs) for book, theirs in self.declared.items()
                  if book in ROLES and book != role}
        matches = [(name, cls) for name, cls in self.candidates().items()
                   if cls not in taken and _role_of(name, required_arity(cls)) == role]
        if not matches:
            # a typo ('Activation_Softmax_Loss_CaterogricalCrossentropy'): a class that
            # plays no role by its words, close to this role's name and to no other
            close = [(name, cls) for name, cls in self.candidates().items()
                     if cls not in taken and _role_of(name, required_arity(cls)) is None
                     and len(normalized(name)) >= 12      # short names: did-you-mean
                     and _implements_something(cls)
                     and any(close_enough(name, r) for r in spellings)
                     and not any(close_enough(name, other) for other in ROLES if other != role)]
            if len(close) == 1:
                return Binding(role, close[0][1], close[0][0], "close")
            return None
        own = [(n, c) for n, c in matches if c.__module__ == self.module.__name__]
        chosen = (own or matches)[0]
        if len(own or matches) > 1:
            self._note(f"{role}: several classes fit ({', '.join(n for n, _ in own or matches)});"
                       f" using {chosen[0]} (declare another with NN_CROSSCHECK)")
        return Binding(role, chosen[1], chosen[0], "name")

    def unbound_classes(self, roles):
        """The module's classes that play no role, with the closest book names."""
        bound = {b.obj for b in (self.find(r) for r in roles) if b is not None}
        lines = []
        book = list(ROLES)
        for name, cls in self.candidates().items():
            if cls in bound or cls.__module__ != self.module.__name__:
                continue
            close = difflib.get_close_matches(name.lower(), [b.lower() for b in book], n=2,
                                              cutoff=0.5)
            names = [b for b in book if b.lower() in close]
            if names:
                lines.append(f"{name}: did you mean {' or '.join(names)}? (or declare it: "
                             f"NN_CROSSCHECK = {{{names[0]!r}: {name!r}}})")
            else:
                lines.append(f"{name}: not a class of the book this tool knows")
        return lines

    # -------------------------------------------------------------- members
    def _declared_member(self, role, canonical):
        return self.declared.get(f"{role}.{canonical}") or self.declared.get(canonical)

    def attribute(self, obj, role, canonical, *, existing_only=True):
        """The name of obj's attribute playing `canonical` (e.g. 'dinputs'), or None."""
        declared = self._declared_member(role, canonical)
        if declared:
            return declared if hasattr(obj, declared) or not existing_only else None
        if _has(obj, canonical):
            return canonical
        options = (canonical,) + ATTRIBUTE_ALIASES.get(canonical, ())
        wanted = {normalized_member(o) for o in options}
        names = list(getattr(obj, "__dict__", {})) + [
            n for n in dir(type(obj)) if isinstance(getattr(type(obj), n, None), property)]
        for alias in options[1:]:
            if _has(obj, alias):
                return self._member_note(role, canonical, alias, "attribute")
        for name in names:
            if normalized_member(name) in wanted:
                return self._member_note(role, canonical, name, "attribute")
        return None

    def method(self, obj, role, canonical):
        declared = self._declared_member(role, canonical)
        if declared:
            return declared if callable(getattr(obj, declared, None)) else None
        if callable(getattr(obj, canonical, None)):
            return canonical
        options = METHOD_ALIASES.get(canonical, ())
        for alias in options:
            if callable(getattr(obj, alias, None)):
                return self._member_note(role, canonical, alias, "method")
        wanted = normalized(canonical)
        methods = [n for n in dir(obj) if not n.startswith("__")
                   and callable(getattr(obj, n, None))]
        for name in methods:
            if normalized(name) == wanted:
                return self._member_note(role, canonical, name, "method")
        # a typo of the book's name or of an alias ('loss_calclation'): one method only,
        # and not one that is (a spelling of) another of the book's methods
        others = {normalized(o) for c, aliases in METHOD_ALIASES.items() if c != canonical
                  for o in (c,) + aliases}
        close = [n for n in methods if normalized(n) not in others
                 and any(close_enough(n, o) for o in (canonical,) + options)]
        if len(close) == 1:
            return self._member_note(role, canonical, close[0], "method")
        return None

    def keyword(self, function, role, canonical):
        """The name of function's parameter playing `canonical` (e.g. 'rho'), '' when
        it takes **kwargs and no such parameter, None when it cannot take it."""
        declared = self._declared_member(role, canonical)
        parameters = signature_parameters(function)
        if parameters is None:
            return canonical           # no signature to read: try the book's name
        if declared:
            return declared if declared in parameters else None
        if canonical in parameters:
            return canonical
        options = (canonical,) + KEYWORD_ALIASES.get(canonical, ())
        wanted = {normalized_member(o) for o in options}
        for name in parameters:
            if normalized_member(name) in wanted and name not in _BOOK_KEYWORDS - {canonical}:
                return self._member_note(role, canonical, name, "keyword")
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
            return ""
        return None

    def _member_note(self, role, canonical, name, kind):
        if name != canonical:
            self._members.setdefault(role, {})[canonical] = name
        return name


_BOOK_KEYWORDS = set(KEYWORD_ALIASES)


def _has(obj, name):
    try:
        return name in getattr(obj, "__dict__", {}) or isinstance(
            getattr(type(obj), name, None), property) and hasattr(obj, name)
    except Exception:
        return False


_SIGNATURES = {}


def signature_of(function):
    """inspect.signature(function) (a bound method without self), or None when it
    has none. Cached: the engine asks on every call."""
    func = getattr(function, "__func__", None)
    key = (func, True) if func is not None else (function, False)
    try:
        found = _SIGNATURES.get(key)
    except TypeError:                    # unhashable callable
        key = None
        found = None
    if found is None:
        try:
            found = inspect.signature(function)
        except (TypeError, ValueError):
            found = False
        if key is not None:
            _SIGNATURES[key] = found
    return found if found is not False else None


def signature_parameters(function):
    """{name: inspect.Parameter} of `function`, or None when it has no signature."""
    found = signature_of(function)
    return None if found is None else dict(found.parameters)


def parse_bind_options(values):
    """--bind BOOK=THEIRS (repeatable) -> {BOOK: THEIRS}; ValueError on bad form."""
    declared = {}
    for value in values or ():
        book, sep, theirs = value.partition("=")
        if not sep or not book.strip() or not theirs.strip():
            raise ValueError(f"--bind {value!r}: expected BOOK=THEIRS, e.g. "
                             f"--bind Layer_Dense=FullyConnected")
        declared[book.strip()] = theirs.strip()
    return declared
