# Sourced by scripts/compare and scripts/test: make sure .venv exists and holds
# exactly requirements.txt, creating or updating it on first use.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "setting up $VENV from requirements.txt (first run only)..." >&2
    python3 -m venv "$VENV" >&2 || { echo "error: python3 -m venv failed" >&2; exit 2; }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$ROOT/requirements.txt" >&2 2>"$VENV/pip.log" \
        || { echo "error: pip install failed, see $VENV/pip.log" >&2; exit 2; }
    echo "$want" > "$STAMP"
fi
PY="$VENV/bin/python"
cd "$ROOT"
