#!/usr/bin/env bash
# Runs a command with an OS keychain of its own: a private D-Bus session bus with gnome-keyring's
# Secret Service on it, whose login collection is created and unlocked with a test password, all in
# a temp directory removed on exit. The tests use the real keychain this way on a headless machine,
# and never touch the user's own keyring. `npm test` runs vitest through it.
#   usage: bash test/setup/keyring-session.sh <command> [args...]
# Needs gnome-keyring and dbus-daemon (test/setup/install-os-deps.sh installs them).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "keyring-session: $tool is missing; run bash test/setup/install-os-deps.sh" >&2; exit 3; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/mcp-guard-keyring-XXXXXX")
# Not exec: the trap has to outlive dbus-run-session to remove the directory.
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$dir/runtime" "$dir/data"

# Exported for the command too, not only the bus (which passes its environment to any service it
# starts on demand): whatever starts a keyring daemon in this session keeps it in these directories.
export XDG_RUNTIME_DIR="$dir/runtime" XDG_DATA_HOME="$dir/data"
export KEYRING_SESSION_PASSWORD="${KEYRING_SESSION_PASSWORD:-mcp-guard-test-keyring}"
# What test/helpers/keychain.ts checks: the bus the tests get is a test keychain, not the user's desktop session.
export MCP_GUARD_TEST_KEYRING="$dir"
status=0
dbus-run-session -- bash -c '
  set -euo pipefail
  # --unlock reads the password on stdin and creates the login collection when there is none.
  printf %s "$KEYRING_SESSION_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  ready=""
  for _ in $(seq 1 200); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      ready=yes
      break
    fi
    sleep 0.05
  done
  [ -n "$ready" ] || { echo "keyring-session: gnome-keyring did not take org.freedesktop.secrets on the session bus within 10 s" >&2; exit 3; }
  unset KEYRING_SESSION_PASSWORD
  exec "$@"' keyring-session "$@" || status=$?
exit $status
