#!/usr/bin/env bash
# Installs what fangkong needs to build, run and test, and nothing that is already there.
# Quiet and fast when nothing is missing. Debian packages via apt-get, npm packages via npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(build-essential clang cmake ninja-build pkg-config git
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev postgresql
      libsodium-dev libpwquality-dev cracklib-runtime libqrencode-dev libpng-dev libxlsxwriter-dev libcsv-dev libcmocka-dev
      libclang-rt-14-dev chromium fonts-noto-cjk
      openssl
      wrk)

missing=()
for p in "${debs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere than Debian (with its own npm); only install it when absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	sudo_cmd=""
	[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages for each folder with a lock file, only when the lock changed since the last install.
for dir in tests/api tests/browser web; do
	[ -f "$dir/package-lock.json" ] || continue
	stamp="$dir/node_modules/.fk-lock"
	if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
		echo "deps: npm ci in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
		cp "$dir/package-lock.json" "$stamp"
	fi
done
