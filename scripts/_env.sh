# Sourced by scripts/compare and scripts/test: make sure .venv exists and holds
# exactly requirements.txt and this project (installed editable: the
# nn-crosscheck command and the pytest plugin), creating or updating it on
# first use. Leaves the current directory as it was.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.requirements.sha256"
want="$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "setting up $VENV (first run only, about a minute): Python 3.11, torch 2.13.0 CPU," >&2
    echo "numpy, hypothesis, pytest, matplotlib, then this project; log in $VENV/pip.log" >&2
    python3 -m venv "$VENV" >&2 || { echo "error: python3 -m venv failed" >&2; exit 2; }
    step=0
    for what in "-r $ROOT/requirements.txt" "--no-deps --no-build-isolation -e $ROOT"; do
        step=$((step + 1))
        echo "  [$step/2] pip install $what" >&2
        # shellcheck disable=SC2086
        "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
            $what >>"$VENV/pip.log" 2>&1 \
            || { echo "error: pip install failed, see $VENV/pip.log" >&2; exit 2; }
    done
    # Byte-compile the project once: an environment with PYTHONDONTWRITEBYTECODE
    # would otherwise recompile it on every run (about 0.3 s of each command).
    "$VENV/bin/python" -m compileall -q "$ROOT/nn_crosscheck" "$ROOT/numpy_impl" \
        "$ROOT/reference" >>"$VENV/pip.log" 2>&1 || true
    echo "$want" > "$STAMP"
    echo "  done" >&2
fi
PY="$VENV/bin/python"
