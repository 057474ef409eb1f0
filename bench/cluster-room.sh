#!/usr/bin/env bash
# One room with more members than one process may hold open files for: a cluster of NODES
# servers on 127.0.0.1 sharing a nats-server -js of its own, and one `./chat bench idle`
# generator per node, all started at once, each registering CLIENTS/NODES clients into the
# default room of its node. Prints the wall time until the room, as a probe on the first
# node sees it with /who, counted all of them, each node's RSS and live heap after a full
# collection before and after, and each generator's RESULT line (its connect time). Stops
# all it started, by PID.
#
#   bench/cluster-room.sh [NODES] [CLIENTS] [HOLD]      defaults: 6 100000 60
#
# Each node and each generator is a process of its own, so each needs only CLIENTS/NODES
# open files (on a machine with a hard limit of 20,000, up to about 19,000 each).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
NODES=${1:-6}
CLIENTS=${2:-100000}
HOLD=${3:-60}
PER_NODE=$(( (CLIENTS + NODES - 1) / NODES ))

nats=$(command -v nats-server || true)
for candidate in /usr/sbin/nats-server /usr/bin/nats-server /usr/local/bin/nats-server; do
  [ -n "$nats" ] && break
  [ -x "$candidate" ] && nats=$candidate
done
[ -n "$nats" ] || { echo "nats-server is not installed" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster-room.XXXXXX")
pids=()
stop_all() {
  # The generators and the nodes first, NATS last.
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  echo "files: $WORK"
}
trap stop_all EXIT

await_line() {
  local file=$1 text=$2
  for _ in $(seq 600); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no \"$text\" in $file" >&2
  return 1
}

"$ROOT/chat" build >/dev/null

nats_port=$(free_port)
"$nats" -js -a 127.0.0.1 -p "$nats_port" -sd "$WORK/nats" >"$WORK/nats.log" 2>&1 &
nats_pid=$!
await_line "$WORK/nats.log" "Server is ready"

# The nodes, one after the other; each writes its logs in a folder of its own.
node_pids=() node_ports=()
for i in $(seq "$NODES"); do
  dir="$WORK/node-$i"; mkdir -p "$dir"; port=$(free_port)
  "$ROOT/chat" server --bind 127.0.0.1 --port "$port" --max-clients 19000 --flood-rate 0 \
    --cluster "nats://127.0.0.1:$nats_port" --node-name "room-$i" --data-dir "$dir" \
    --log-file "$dir/chat.log" --diagnostic-log "$dir/chat-server.log" >"$dir/out.txt" 2>&1 &
  node_pids+=($!) node_ports+=("$port")
  pids=("${node_pids[@]}" "$nats_pid")
  await_line "$dir/out.txt" "listening"
done
# Each node's resident memory and live heap (KiB) after a full collection, as "RSS HEAP".
jcmd=$(dirname "$(readlink -f "/proc/${node_pids[0]}/exe")")/jcmd
memory() {
  local pid=$1
  "$jcmd" "$pid" GC.run >/dev/null
  local heap rss
  heap=$("$jcmd" "$pid" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  echo "$rss $heap"
}
before=()
for pid in "${node_pids[@]}"; do before+=("$(memory "$pid")"); done

echo "cluster: $NODES nodes on ports ${node_ports[*]}, nats-server on $nats_port; load $(cut -d' ' -f1 /proc/loadavg)"

# A probe on the first node, signed on before the generators start, asks the room's size
# once a second: the cluster's own view of when everyone is in.
exec 3<>"/dev/tcp/127.0.0.1/${node_ports[0]}"
printf 'probe\r\n' >&3
await_probe() {
  local want=$1 line count
  while IFS= read -r -t 30 line <&3; do
    case $line in
      *"Online: "*" people in #"*)
        count=${line#*Online: }; count=${count%% *}
        [ "$count" -ge "$want" ] && { echo "$line"; return 0; } ;;
      *"Names page 1 of"*|*"Online ("*) sleep 1; printf '/who #lobby\r\n' >&3 ;;
    esac
  done
  return 1
}

# The generators, all at once.
generator_pids=()
start=$(date +%s%N)
for i in $(seq 0 $((NODES - 1))); do
  "$ROOT/chat" bench idle --port "${node_ports[$i]}" --pid "${node_pids[$i]}" --clients "$PER_NODE" \
    --hold "$HOLD" >"$WORK/generator-$((i + 1)).txt" 2>&1 &
  generator_pids+=($!)
done
pids=("${generator_pids[@]}" "${node_pids[@]}" "$nats_pid")

total=$((PER_NODE * NODES + 1))
if last=$(await_probe "$total"); then
  echo "all $total members (the probe included) in #lobby after $(( ($(date +%s%N) - start) / 1000000 )) ms, from the generators' start"
  echo "the probe's last answer: $last"
  for i in $(seq 0 $((NODES - 1))); do
    read -r rss0 heap0 <<<"${before[$i]}"
    read -r rss1 heap1 <<<"$(memory "${node_pids[$i]}")"
    awk -v n=$((i + 1)) -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" -v own="$PER_NODE" 'BEGIN {
      printf "node %d: RSS %d -> %d KiB, live heap %d -> %d KiB: %.2f and %.2f KiB per own connection\n",
        n, r0, r1, h0, h1, (r1 - r0) / own, (h1 - h0) / own }'
  done
else
  echo "the room did not reach $total members (the probe's connection ended or went quiet)" >&2
fi
exec 3>&-

for pid in "${generator_pids[@]}"; do wait "$pid" || true; done
for i in $(seq "$NODES"); do grep '^RESULT' "$WORK/generator-$i.txt" | sed "s/^/node $i: /"; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
