"""torch counterparts of the book's optimizers, for cross-checking whole
parameter trajectories.

Where the book's update rule IS a torch.optim rule (same real-number
arithmetic; only the order of roundings differs), `torch_optim` builds that
torch.optim optimizer. Where it is not, `BookSGD` writes the book's rule with
torch tensors. `reference_optimizer` picks whichever applies.

  book settings                          torch.optim that computes the same steps
  -------------------------------------  --------------------------------------------
  Optimizer_SGD, momentum=0, any decay   SGD(lr) + LambdaLR(k -> 1 / (1 + decay*k))
  Optimizer_SGD, momentum>0, decay=0     SGD(lr, momentum)
  Optimizer_SGD, momentum>0, decay>0     none: BookSGD (see "SGD momentum" below)
  Optimizer_Adagrad, any decay           Adagrad(lr, lr_decay=decay, eps=epsilon)
  Optimizer_RMSprop, any decay           RMSprop(lr, alpha=rho, eps=epsilon) + LambdaLR
  Optimizer_Adam, any decay              Adam(lr, betas=(beta_1, beta_2), eps=epsilon)
                                         + LambdaLR

Why these are the same rules:

- Decay. The book's step k (k = 0, 1, ... completed steps) uses
  lr / (1 + decay * k). A LambdaLR scheduler stepped after every
  optimizer.step() sets the k-th step's rate to base_lr * lambda(k), the same
  number (lambda written as 1 / (1 + decay * k), the product even rounds the
  same). For Adagrad, RMSprop and Adam the rate multiplies the whole step and
  none of their state depends on it, so a per-step rate is all the book's
  decay does. torch's Adagrad has the very same schedule built in:
  lr / (1 + (step - 1) * lr_decay), with step counted from 1.
- Epsilon. Adagrad, RMSprop and Adam all add epsilon outside the square root,
  as the book does; Adam adds it after the bias correction
  (sqrt(v) / sqrt(1 - beta_2**t) + eps = sqrt(v_hat) + eps). torch's default
  epsilons differ (1e-10 Adagrad, 1e-8 RMSprop and Adam, book: 1e-7), so the
  book's value is always passed explicitly.
- State. Every cache starts at zero (Adagrad's initial_accumulator_value=0).
  Adam's bias correction uses torch's step count t = 1, 2, ..., which is the
  book's iterations + 1. RMSprop's alpha is the book's rho; centered=False,
  momentum=0 and weight_decay=0 (torch's defaults) are the book's rule.
- Rounding only: torch updates Adam's first moment with lerp, folds 1/(1 -
  beta_1**t) into the step size and divides sqrt(v) by sqrt(1 - beta_2**t);
  SGD with momentum keeps the buffer without the learning rate (below). The
  real numbers are equal; the floating-point results differ by roundings.

SGD momentum. The book keeps a velocity that already contains the learning
rate, torch keeps a buffer without it:

    book:   v_t = m * v_(t-1) - lr_t * g_t           w += v_t
    torch:  b_t = m * b_(t-1) + g_t  (b_1 = g_1)     w -= lr_t * b_t

With a constant rate, v_t = -lr * b_t by induction: the same steps. With decay
the book's step is -sum_k m^(t-k) lr_k g_k, each old gradient keeping the rate
of its own step, while torch's is -lr_t sum_k m^(t-k) g_k, every old gradient
re-scaled to today's smaller rate. After two steps from w_0:

    book:   w_2 = w_0 - lr_0 (1 + m) g_1 - lr_1 g_2
    torch:  w_2 = w_0 - lr_0 g_1 - lr_1 (m g_1 + g_2)

which differ by m (lr_0 - lr_1) g_1. No torch.optim optimizer or scheduler
reproduces the book here, so BookSGD writes the book's rule with tensors.
"""
import torch

# The book's constructors' defaults, by class name.
BOOK_DEFAULTS = {
    "Optimizer_SGD": dict(learning_rate=1., decay=0., momentum=0.),
    "Optimizer_Adagrad": dict(learning_rate=1., decay=0., epsilon=1e-7),
    "Optimizer_RMSprop": dict(learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9),
    "Optimizer_Adam": dict(learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9,
                           beta_2=0.999),
}


def book_settings(name, **settings):
    """The book's defaults for optimizer `name`, overridden by `settings`."""
    if name not in BOOK_DEFAULTS:
        raise ValueError(f"unknown optimizer {name!r}; expected one of "
                         f"{', '.join(BOOK_DEFAULTS)}")
    unknown = set(settings) - set(BOOK_DEFAULTS[name])
    if unknown:
        raise TypeError(f"{name} has no setting(s) {', '.join(sorted(unknown))}; its "
                        f"settings are {', '.join(BOOK_DEFAULTS[name])}")
    return {**BOOK_DEFAULTS[name], **settings}


def matches_torch_optim(name, **settings):
    """Whether torch.optim has the book's rule for these settings (see module doc)."""
    s = book_settings(name, **settings)
    return not (name == "Optimizer_SGD" and s["momentum"] and s["decay"])


def book_decay(decay):
    """The book's learning-rate multiplier after k completed steps, for LambdaLR."""
    return lambda k: 1.0 / (1.0 + decay * k)


class TorchOptim:
    """A torch.optim optimizer and, when the book's settings decay the learning
    rate, the LambdaLR scheduler that does it. step() makes one book step."""

    def __init__(self, optimizer, decay=0.0):
        self.optimizer = optimizer
        self.scheduler = (torch.optim.lr_scheduler.LambdaLR(optimizer, book_decay(decay))
                          if decay else None)

    def step(self):
        self.optimizer.step()
        if self.scheduler is not None:
            self.scheduler.step()

    def zero_grad(self):
        self.optimizer.zero_grad(set_to_none=True)


def torch_optim(name, params, **settings):
    """The torch.optim optimizer with the book's rule for `name` and `settings`.

    Raises ValueError for SGD with momentum and decay together, which torch.optim
    does not have (use BookSGD or reference_optimizer).
    """
    s = book_settings(name, **settings)
    params = list(params)
    lr = s["learning_rate"]
    if name == "Optimizer_SGD":
        if s["momentum"] and s["decay"]:
            raise ValueError(
                "torch.optim.SGD cannot reproduce the book's SGD with both momentum and "
                "decay: the book's velocity keeps each step's own learning rate, torch "
                "applies the current rate to the whole buffer. Use BookSGD.")
        return TorchOptim(torch.optim.SGD(params, lr=lr, momentum=s["momentum"]), s["decay"])
    if name == "Optimizer_Adagrad":
        # Adagrad's own lr_decay is the book's decay: no scheduler needed.
        return TorchOptim(torch.optim.Adagrad(params, lr=lr, lr_decay=s["decay"],
                                              eps=s["epsilon"], initial_accumulator_value=0))
    if name == "Optimizer_RMSprop":
        return TorchOptim(torch.optim.RMSprop(params, lr=lr, alpha=s["rho"],
                                              eps=s["epsilon"]), s["decay"])
    return TorchOptim(torch.optim.Adam(params, lr=lr, betas=(s["beta_1"], s["beta_2"]),
                                       eps=s["epsilon"]), s["decay"])


class BookSGD:
    """The book's SGD rule written with torch tensors, for every setting,
    including momentum with decay where torch.optim.SGD differs:

        lr_t = learning_rate / (1 + decay * t)        (t = completed steps)
        without momentum:  w -= lr_t * grad
        with momentum:     v = momentum * v - lr_t * grad;   w += v

    Reads each parameter's .grad (set by autograd or by hand), like torch.optim.
    """

    def __init__(self, params, learning_rate=1., decay=0., momentum=0.):
        self.params = list(params)
        self.learning_rate, self.decay, self.momentum = learning_rate, decay, momentum
        self.iterations = 0
        self.velocities = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        lr = self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))
        for param, velocity in zip(self.params, self.velocities):
            if param.grad is None:
                continue
            if self.momentum:
                velocity.copy_(self.momentum * velocity - lr * param.grad)
                param.add_(velocity)
            else:
                param.add_(-lr * param.grad)
        self.iterations += 1

    def zero_grad(self):
        for param in self.params:
            param.grad = None


def reference_optimizer(name, params, **settings):
    """torch.optim where it has the book's rule, otherwise the book's rule in torch."""
    if matches_torch_optim(name, **settings):
        return torch_optim(name, params, **settings)
    s = book_settings(name, **settings)
    return BookSGD(params, s["learning_rate"], s["decay"], s["momentum"])
