#!/usr/bin/env bash
# Runs legacygate's checks: go vet, then every test with the race detector
# against a real Redis server.
#
# Redis: tests use $LEGACYGATE_TEST_REDIS when set (redis://… or host:port);
# otherwise each test binary starts a private redis-server on a free loopback
# port and stops it afterwards. When redis-server is missing this script
# installs it with the OS package manager if it can (apt-get as root, or
# brew), and says so. Without any Redis the tests fall back to the embedded
# in-process server and print a notice (see README, "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1 && [ -z "${LEGACYGATE_TEST_REDIS:-}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test.sh: redis-server not found; installing it with apt-get (Debian package redis-server)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    echo "test.sh: redis-server not found; installing it with brew"
    brew install redis >/dev/null
  else
    echo "test.sh: redis-server not found and no package manager I may use; tests fall back to the embedded server"
  fi
fi

# The acceptance test drives the gateway with the real ServiceStack client
# (npm @servicestack/client, pinned in acceptance/package-lock.json).
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  if [ ! -d acceptance/node_modules/@servicestack/client ]; then
    echo "test.sh: npm ci in acceptance/ (the pinned @servicestack/client)"
    (cd acceptance && npm ci --no-audit --no-fund --loglevel=error) || echo "test.sh: npm ci failed; the acceptance test will be skipped"
  fi
else
  echo "test.sh: node/npm not found; the acceptance test will be skipped"
fi

# The .NET ground-truth tests (dotnet/, `go test -run DotNet ./...`) need
# Mono: mcs, DataContractSerializer, Json.NET 6 and the Web API client
# library. Without it they skip with a notice, or fail in CI.
DOTNET_PACKAGES="mono-runtime mono-mcs libmono-system-runtime-serialization4.0-cil libmono-system-xml-linq4.0-cil libmono-system-net-http4.0-cil libmono-system-net-http-formatting4.0-cil libmono-system-web-http4.0-cil libnewtonsoft-json5.0-cil"
if ! command -v mcs >/dev/null 2>&1 || ! command -v mono >/dev/null 2>&1 || [ ! -e /usr/lib/mono/4.5/System.Net.Http.Formatting.dll ] || [ ! -e /usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test.sh: Mono not found; installing it with apt-get ($DOTNET_PACKAGES)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $DOTNET_PACKAGES >/dev/null \
      || echo "test.sh: installing Mono failed; the .NET tests will be skipped (and fail in CI)"
  else
    echo "test.sh: Mono not found and no package manager I may use; the .NET tests will be skipped"
  fi
fi

echo "test.sh: go vet ./..."
go vet ./...
echo "test.sh: go test -race ./... ${*:-}"
go test -race -count=1 "$@" ./...
