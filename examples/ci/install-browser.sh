#!/usr/bin/env bash
# Installs what ConsoleBrowserIT needs: Debian's headless-capable Chromium and playwright-core
# (the driver library only; it downloads no browser of its own) into examples/target/browser.
# Idempotent; CI runs it before 'mvn verify'. Without it the browser test skips with the reason.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${RIVER_BROWSER_DIR:-$HERE/../target/browser}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [[ "$(id -u)" != "0" ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
chromium --version

if [[ ! -f "$DIR/node_modules/playwright-core/package.json" ]]; then
  mkdir -p "$DIR"
  # No browser download: the test drives /usr/bin/chromium through executablePath.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$DIR" --no-audit --no-fund --silent \
    "playwright-core@$PLAYWRIGHT_VERSION"
fi
node -e "console.log('playwright-core ' + require('$DIR/node_modules/playwright-core/package.json').version)"
