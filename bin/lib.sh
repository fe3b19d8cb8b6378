# Shared set-up for bin/run and bin/test: install what is missing, nothing more.
# Sourced, not executed.  Every step is safe to repeat.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PACKAGE... : install Debian packages that are not installed yet
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return
    fi
  done
  echo "City of People needs Python 3.11 (python3.11 was not found)." >&2
  exit 1
}

# setup_python EXTRAS : a virtual environment with the project installed (re-installed when pyproject.toml changes)
setup_python() {
  local extras="$1" python stamp wanted
  python="$(find_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    "$python" -m venv --help >/dev/null 2>&1 && "$python" -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    say "Creating the virtual environment in .venv"
    "$python" -m venv "$VENV"
  fi
  stamp="$VENV/.installed"
  wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) $extras"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "Installing Python packages ($extras)"
    "$VENV/bin/pip" install -q --upgrade pip
    if [ -n "$extras" ]; then "$VENV/bin/pip" install -q -e ".[$extras]"; else "$VENV/bin/pip" install -q -e .; fi
    echo "$wanted" > "$stamp"
  fi
}

# setup_assets : front-end packages from the npm registry, exactly as locked
setup_assets() {
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="node_modules/.installed" wanted
  wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "Installing front-end packages (npm ci)"
    # gent_styleguide's own install script is broken and not needed: its build/ is shipped compiled
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$wanted" > "$stamp"
  fi
}

manage() { "$VENV/bin/python" "$ROOT/manage.py" "$@"; }
