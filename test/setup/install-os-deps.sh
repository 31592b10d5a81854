#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, once: a second run does nothing.
# Called by `npm test`; safe to run by hand. Needs root (or sudo) only when something is missing.
set -euo pipefail

# util-linux: runuser/setpriv, to run a process as a second OS user (socket peer checks).
# passwd: useradd, to create that user.
# gnome-keyring, dbus-daemon, dbus-bin: the real OS keychain for the keychain tests, a Secret Service
#   on a private D-Bus session (test/setup/keyring-session.sh; dbus-run-session is in dbus-daemon,
#   dbus-send in dbus-bin). The `dbus` package itself is the system bus, which they do not need.
# libsecret-tools: secret-tool, to look at the test keyring by hand.
# chromium: the real browser the UI tests drive through playwright-core (which never downloads one).
# fonts-dejavu-core: a font for the page's text, so screenshots and layout checks are the user's.
# nginx-light, openssl: the policy host over TLS on loopback and the test CA it is signed by (signed-policy fetch tests).
packages=(util-linux passwd gnome-keyring libsecret-tools dbus-daemon dbus-bin chromium fonts-dejavu-core nginx-light openssl)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-os-deps: missing Debian packages: ${missing[*]}; this is not a Debian/Ubuntu machine, install them by hand" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-os-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
