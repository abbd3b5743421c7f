#!/usr/bin/env bash
# Measures what edge-runtime/README.md ("Publishing") reports: the size of `dotnet publish` of sc-edge for
# linux-arm64 and linux-x64 (framework-dependent and self-contained), and the resident memory (VmRSS from
# /proc/PID/status) of the x64 build at idle and with the demo community's eight virtual devices connected;
# also self-contained with ReadyToRun (precompiled code: less JIT work and memory, a faster start on a Pi).
# Writes artifacts/edge-footprint.md and prints it. Figures, not a test: nothing here passes or fails on a number.
#
#   edge-runtime/deploy/measure.sh            # from anywhere in the repository
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
out="$root/artifacts/edge-footprint"
report="$root/artifacts/edge-footprint.md"
rm -rf "$out"
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

size() { du -sb "$1" | cut -f1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
kib_mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
free_port() { # a loopback port nothing answers on
  local port
  for port in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  return 1
}
status_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
wait_for() { # wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "measure: gave up waiting for: $*" >&2; return 1; fi
    sleep 0.2
  done
}

declare -A bytes
for rid in linux-arm64 linux-x64; do
  for mode in framework-dependent self-contained ready-to-run; do
    flags=(--self-contained false)
    [[ $mode == self-contained ]] && flags=(--self-contained true)
    [[ $mode == ready-to-run ]] && flags=(--self-contained true -p:PublishReadyToRun=true)
    dotnet publish edge-runtime/SmartCommunity.Edge.Cli -c Release -r "$rid" "${flags[@]}" -o "$out/$rid-$mode" -v quiet -nologo >"$out/publish-$rid-$mode.log"
    bytes[$rid-$mode]=$(size "$out/$rid-$mode")
  done
done

# The demo community, as its own process, pointed at the edge's MQTT port (a .NET file-based app).
dotnet build edge-runtime/deploy/measure/virtual-building.cs -v quiet -nologo >"$out/virtual-building-build.log"

measure_rss() { # measure_rss LABEL BUILD [ENV=VALUE...]: prints "idle_kib connected_kib hwm_kib"
  local label=$1 build=$2; shift 2
  local data="$out/data-$label" mqtt http pid sim
  mkdir -p "$data"
  mqtt=$(free_port); http=$(free_port)
  env "$@" "$out/linux-x64-$build/sc-edge" run --layout simulators/layouts/demo.yaml --data "$data" \
    --mqtt-port "$mqtt" --http-port "$http" >"$out/sc-edge-$label.log" 2>&1 &
  pid=$!
  wait_for 60 curl -sf "http://127.0.0.1:$http/health/ready"
  sleep 15 # settle: JIT, first GCs, retention and twin timers
  local idle; idle=$(status_kib "$pid" VmRSS)
  dotnet run edge-runtime/deploy/measure/virtual-building.cs -- simulators/layouts/demo.yaml "$mqtt" 60 >"$out/virtual-building-$label.log" 2>&1 &
  sim=$!
  wait_for 60 sh -c "curl -sf http://127.0.0.1:$http/metrics | grep -q '^sc_edge_devices{state=\"online\"} 8'"
  sleep 30 # heartbeats, state messages, group commits
  local connected hwm; connected=$(status_kib "$pid" VmRSS); hwm=$(status_kib "$pid" VmHWM)
  kill -TERM "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true
  kill -TERM "$pid"; wait "$pid" || true
  echo "$idle $connected $hwm"
}

read -r idle connected hwm < <(measure_rss default self-contained)
read -r idle_g0 connected_g0 hwm_g0 < <(measure_rss gen0-4mib self-contained DOTNET_GCgen0size=0x400000)
read -r idle_r2r connected_r2r hwm_r2r < <(measure_rss ready-to-run ready-to-run)

cat >"$report" <<REPORT
# sc-edge footprint

Measured $(date -u +%Y-%m-%dT%H:%MZ) by edge-runtime/deploy/measure.sh on $(uname -m), $(nproc) cores,
.NET SDK $(dotnet --version). Release builds of commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown) plus the working tree.

## Published output (du -sb)

| RID | framework-dependent | self-contained | self-contained, ReadyToRun |
|---|---|---|---|
| linux-arm64 | $(mib "${bytes[linux-arm64-framework-dependent]}") | $(mib "${bytes[linux-arm64-self-contained]}") | $(mib "${bytes[linux-arm64-ready-to-run]}") |
| linux-x64 | $(mib "${bytes[linux-x64-framework-dependent]}") | $(mib "${bytes[linux-x64-self-contained]}") | $(mib "${bytes[linux-x64-ready-to-run]}") |

## Resident memory of sc-edge (linux-x64, demo layout)

| build, settings | idle (no device, 15 s after ready) | demo community connected (8 devices, 30 s) | peak (VmHWM) |
|---|---|---|---|
| self-contained, defaults (workstation GC, as in sc-edge.service) | $(kib_mib "$idle") | $(kib_mib "$connected") | $(kib_mib "$hwm") |
| self-contained, DOTNET_GCgen0size=0x400000 | $(kib_mib "$idle_g0") | $(kib_mib "$connected_g0") | $(kib_mib "$hwm_g0") |
| self-contained ReadyToRun, defaults | $(kib_mib "$idle_r2r") | $(kib_mib "$connected_r2r") | $(kib_mib "$hwm_r2r") |
REPORT
cat "$report"
