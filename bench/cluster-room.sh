#!/usr/bin/env bash
# One room with more members than one process may hold open files for: a cluster of NODES
# servers on 127.0.0.1 sharing a nats-server -js of its own, and one `./chat bench idle`
# generator per node, all started at once, each registering CLIENTS/NODES clients (rounded
# up) into #lobby on its node. Prints the wall time until a probe on the first node, asking
# /who #lobby once a second, counts them all; each node's RSS and live heap after a full
# collection, before the generators start and once the room is full; and each generator's
# RESULT line (its connect time, and the node's RSS after the hold). Stops everything it
# started, by PID; exits 1 when the room did not fill.
#
#   bench/cluster-room.sh [NODES] [CLIENTS] [HOLD]      defaults: 6 100000 60
#
# Each node and each generator is a process of its own, so each needs only CLIENTS/NODES
# open files: at most 19,000 here, each node's --max-clients, below a hard limit of 20,000.
# HOLD (seconds) must outlast the time between the first and the last generator having
# registered all of its clients, as the memory is read while every generator holds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
NODES=${1:-6}
CLIENTS=${2:-100000}
HOLD=${3:-60}
PER_NODE=$(( (CLIENTS + NODES - 1) / NODES ))
MAX_PER_NODE=19000
[ "$NODES" -ge 1 ] && [ "$PER_NODE" -ge 1 ] || { echo "NODES and CLIENTS must be 1 or more" >&2; exit 2; }
[ "$PER_NODE" -le "$MAX_PER_NODE" ] ||
  { echo "$PER_NODE clients a node is over $MAX_PER_NODE; use more nodes" >&2; exit 2; }

nats=$(command -v nats-server || true)
for candidate in /usr/sbin/nats-server /usr/bin/nats-server /usr/local/bin/nats-server; do
  [ -n "$nats" ] && break
  [ -x "$candidate" ] && nats=$candidate
done
[ -n "$nats" ] || { echo "nats-server is not installed" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster-room.XXXXXX")
nats_pid= node_pids=() generator_pids=()

# Whether process PID runs (an ended child not yet reaped does not).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

stop_all() {
  # The generators and the nodes first, NATS last; whatever outlives SIGTERM by 10 s gets SIGKILL.
  local pid
  for pid in "${generator_pids[@]}" "${node_pids[@]}" $nats_pid; do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do alive "$pid" || continue 2; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  echo "files: $WORK"
}
trap stop_all EXIT

# Waits until FILE holds TEXT, at most 60 s, and as long as process PID lives.
await_line() {
  local file=$1 text=$2 pid=$3
  for _ in $(seq 600); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    alive "$pid" || { echo "ended before \"$text\"; see $file" >&2; return 1; }
    sleep 0.1
  done
  echo "no \"$text\" in $file after 60 s" >&2
  return 1
}

"$ROOT/chat" build >/dev/null

nats_port=$(free_port)
"$nats" -js -a 127.0.0.1 -p "$nats_port" -sd "$WORK/nats" >"$WORK/nats.log" 2>&1 &
nats_pid=$!
await_line "$WORK/nats.log" "Server is ready" "$nats_pid"

# The nodes, one after the other; each writes its logs in a folder of its own.
node_ports=()
for i in $(seq "$NODES"); do
  dir="$WORK/node-$i"; mkdir -p "$dir"; port=$(free_port)
  "$ROOT/chat" server --bind 127.0.0.1 --port "$port" --max-clients 19000 --flood-rate 0 \
    --cluster "nats://127.0.0.1:$nats_port" --node-name "room-$i" --data-dir "$dir" \
    --log-file "$dir/chat.log" --diagnostic-log "$dir/chat-server.log" >"$dir/out.txt" 2>&1 &
  node_pids+=($!) node_ports+=("$port")
  await_line "$dir/out.txt" "listening" "${node_pids[-1]}"
done
# Each node's resident memory and live heap (KiB) after a full collection, as "RSS HEAP".
jcmd=$(dirname "$(readlink -f "/proc/${node_pids[0]}/exe")")/jcmd
# "? ?" when they cannot be read.
memory() {
  local pid=$1 heap rss
  if "$jcmd" "$pid" GC.run >/dev/null 2>&1 &&
      heap=$("$jcmd" "$pid" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1) && [ -n "$heap" ] &&
      rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") && [ -n "$rss" ]; then
    echo "$rss $heap"
  else
    echo "? ?"
  fi
}
before=()
for pid in "${node_pids[@]}"; do before+=("$(memory "$pid")"); done

echo "cluster: $NODES nodes on ports ${node_ports[*]}, nats-server on $nats_port; load $(cut -d' ' -f1 /proc/loadavg)"

# A probe on the first node, signed on before the generators start, asks the room's size
# once a second: the cluster's own view of when everyone is in.
exec 3<>"/dev/tcp/127.0.0.1/${node_ports[0]}"
printf 'probe\r\n' >&3
await_probe() {
  local want=$1 line count pid
  while IFS= read -r -t 30 line <&3; do
    case $line in
      *"Online: "*" people in #"*)
        count=${line#*Online: }; count=${count%% *}
        [ "$count" -ge "$want" ] && { echo "$line"; return 0; } ;;
      *"Names page 1 of"*|*"Online ("*)
        # A generator that ended before the room is full had clients refused or lost: it will not fill.
        for pid in "${generator_pids[@]}"; do
          alive "$pid" || { echo "a generator ended early" >&2; return 1; }
        done
        sleep 1; printf '/who #lobby\r\n' >&3 ;;
    esac
  done
  return 1
}

# The generators, all at once.
start=$(date +%s%N)
for i in $(seq 0 $((NODES - 1))); do
  "$ROOT/chat" bench idle --port "${node_ports[$i]}" --pid "${node_pids[$i]}" --clients "$PER_NODE" \
    --hold "$HOLD" >"$WORK/generator-$((i + 1)).txt" 2>&1 &
  generator_pids+=($!)
done

total=$((PER_NODE * NODES + 1))
filled=0
if last=$(await_probe "$total"); then
  filled=1
  echo "all $total members (the probe included) in #lobby after $(( ($(date +%s%N) - start) / 1000000 )) ms, from the generators' start"
  echo "the probe's last answer: $last"
  for i in $(seq 0 $((NODES - 1))); do
    read -r rss0 heap0 <<<"${before[$i]}"
    read -r rss1 heap1 <<<"$(memory "${node_pids[$i]}")"
    awk -v n=$((i + 1)) -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" -v own="$PER_NODE" 'BEGIN {
      if (r0 == "?" || r1 == "?") { printf "node %d: memory not readable (jcmd)\n", n; exit }
      printf "node %d: RSS %d -> %d KiB, live heap %d -> %d KiB: %.2f and %.2f KiB per own connection\n",
        n, r0, r1, h0, h1, (r1 - r0) / own, (h1 - h0) / own }'
  done
else
  echo "the room did not reach $total members (a generator ended early, or the probe heard nothing for 30 s)" >&2
fi
exec 3>&-

if [ "$filled" -eq 1 ]; then
  for pid in "${generator_pids[@]}"; do wait "$pid" || true; done
fi
for i in $(seq "$NODES"); do
  grep '^RESULT' "$WORK/generator-$i.txt" | sed "s/^/node $i: /" ||
    echo "node $i: no RESULT line; see $WORK/generator-$i.txt"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$filled" -eq 1 ]
