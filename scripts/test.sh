#!/usr/bin/env bash
# Runs legacygate's checks: go vet, then every test with the race detector
# against a real Redis server, then the store, HTTP and fault tests again on
# a real Redis Cluster and on a Sentinel set.
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

# The browser CORS test (cmd/legacygate TestCORSInBrowser) drives a real
# headless Chromium; it is required in CI (LEGACYGATE_ACCEPTANCE=1) and
# skipped with a notice elsewhere when Chromium is missing.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test.sh: chromium not found; installing it with apt-get (Debian package chromium) for the browser CORS test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: chromium not found and no package manager I may use; the browser CORS test will be skipped"
  fi
fi
# The README test runs the README's curl examples.
if ! command -v curl >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test.sh: curl not found; installing it with apt-get for the README examples test"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
fi

# The acceptance tests drive the gateway with the real ServiceStack client
# and CLI and type-check generated DTOs with tsc (npm @servicestack/client,
# @servicestack/cli, typescript, pinned in acceptance/package-lock.json).
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  if [ ! -d acceptance/node_modules/@servicestack/client ] || [ ! -d acceptance/node_modules/@servicestack/cli ] || [ ! -d acceptance/node_modules/typescript ]; then
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
# Admission with the production argon2 parameters: the race detector slows
# hashing far beyond production, so this one runs without it.
echo "test.sh: go test -run TestBurstProductionHash ./backend/passhash (no -race)"
go test -count=1 -run 'TestBurstProductionHash' ./backend/passhash

# The same store, HTTP and fault tests on real topologies, which each test
# binary starts once (redistest, LEGACYGATE_TEST_TOPOLOGY) on free loopback
# ports below 55000: a six-node Redis Cluster (three masters, one replica
# each) and a Sentinel set (a master, a replica, three sentinels).
# LEGACYGATE_TEST_TOPOLOGIES="" skips them; they need redis-server and
# redis-cli and are skipped with a notice without them.
topologies="${LEGACYGATE_TEST_TOPOLOGIES-cluster sentinel}"
if [ -n "$topologies" ] && [ -z "${LEGACYGATE_TEST_REDIS:-}" ]; then
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    for topology in $topologies; do
      echo "test.sh: go test -race on a Redis ${topology}: ./backend/... ./routes/... ./cmd/..."
      LEGACYGATE_TEST_TOPOLOGY="$topology" go test -race -count=1 "$@" ./backend/... ./routes/... ./cmd/...
    done
  else
    echo "test.sh: redis-server or redis-cli missing: Cluster and Sentinel tests skipped"
  fi
fi
