#!/usr/bin/env bash
# Measures the server's start: from launching it to its "listening" line, the wall time and
# the CPU the server process had used by then (user + system, all its threads, and its main
# thread alone), read from /proc when the line arrives. Variants take turns (A B A B ...), so
# that the machine's other work falls on all of them alike; medians at the end.
#
#   bench/server-start.sh [RUNS] [LABEL=COMMAND ...]
#
# RUNS defaults to 10. Each COMMAND starts a server and is given the server's options
# (--bind 127.0.0.1 --port 0 and a fresh data folder); it must end by exec-ing the JVM, as
# ./chat does, so that the process measured is the server. Without variants:
#   base="./chat server"    and    no-cache="env CHAT_AOT_CACHE=off ./chat server"
# For example, two JVM settings:
#   bench/server-start.sh 12 'g1=./chat server' 'serial=env CHAT_SERVER_JAVA_OPTS=-XX:+UseSerialGC ./chat server'
# Start each variant once first: the first start after a build makes the build's output
# current and is not a fair run. Linux only (/proc).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
RUNS=${1:-10}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- "base=./chat server" "no-cache=env CHAT_AOT_CACHE=off ./chat server"
fi
TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-server-start.XXXXXX")
SERVER_PID=

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

# utime + stime in ms from a /proc stat line (the fields after the command's closing parenthesis).
cpu_ms() {
  local rest=${1##*) }
  # shellcheck disable=SC2086  # split into fields on purpose.
  set -- $rest
  echo $(( (${12} + ${13}) * 1000 / TICK ))
}

# The Java main thread's stat line: the launcher's first thread only starts it and waits, so
# it is the process's next thread named "java".
main_thread_stat() {
  local task
  for task in $(printf '%s\n' "/proc/$1/task/"* | sed 's|.*/||' | sort -n); do
    if [ "$task" != "$1" ] && [ "$(cat "/proc/$1/task/$task/comm")" = java ]; then
      cat "/proc/$1/task/$task/stat"
      return
    fi
  done
  echo "$1 (none) x 0 0 0 0 0 0 0 0 0 0 0 0"
}

# One start of variant $1 (its command in $2): prints "wall_ms cpu_ms main_thread_cpu_ms".
measure() {
  local label=$1 command=$2 dir="$WORK/$1.$3"
  mkdir -p "$dir"
  mkfifo "$dir/out"
  local start end line stat main
  start=$(date +%s%N)
  # shellcheck disable=SC2086  # the command is words on purpose.
  ( eval "exec $command --bind 127.0.0.1 --port 0 --data-dir '$dir' --log-file '$dir/chat.log' \
      --diagnostic-log '$dir/chat-server.log'" >"$dir/out" 2>"$dir/err" ) &
  SERVER_PID=$!
  exec 3<"$dir/out"
  if ! IFS= read -r line <&3; then
    echo "$label: no listening line; stderr:" >&2
    cat "$dir/err" >&2
    exit 1
  fi
  stat=$(cat "/proc/$SERVER_PID/stat")
  main=$(main_thread_stat "$SERVER_PID")
  end=$(date +%s%N)
  case $line in
    *listening*) ;;
    *) echo "$label: unexpected first line: $line" >&2; exit 1 ;;
  esac
  echo "$(( (end - start) / 1000000 )) $(cpu_ms "$stat") $(cpu_ms "$main")"
  stop_server
  exec 3<&-
  rm -rf "$dir"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$RUNS"); do
  for variant in "$@"; do
    label=${variant%%=*}
    result=$(measure "$label" "${variant#*=}" "$run")
    echo "$label $result" >>"$WORK/results"
    echo "run $run $label: wall $(cut -d' ' -f1 <<<"$result") ms, cpu $(cut -d' ' -f2 <<<"$result") ms, main thread $(cut -d' ' -f3 <<<"$result") ms"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of $RUNS runs (ms):"
for variant in "$@"; do
  label=${variant%%=*}
  rows=$(awk -v l="$label" '$1 == l' "$WORK/results")
  printf '  %-12s wall %5s   cpu %5s   main thread %5s   (wall %s-%s)\n' "$label" \
    "$(awk '{print $2}' <<<"$rows" | median)" "$(awk '{print $3}' <<<"$rows" | median)" \
    "$(awk '{print $4}' <<<"$rows" | median)" \
    "$(awk '{print $2}' <<<"$rows" | sort -n | head -1)" "$(awk '{print $2}' <<<"$rows" | sort -n | tail -1)"
done
