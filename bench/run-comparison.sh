#!/usr/bin/env bash
# Runs the same fanout, idle and churn workloads against this chat server, ngIRCd and
# InspIRCd on 127.0.0.1, one server at a time, and prints every RESULT line.
#
#   bench/run-comparison.sh [RUNS]      RUNS of each fanout point (default 3)
#
# Installs ngircd and inspircd with apt-get when they are missing (needs root). Each IRC
# server gets a configuration in a temporary folder that lifts its limits and flood
# throttles as far as it allows, listens on a free port, and is stopped (by its PID) after
# its runs. Tune the workloads with FANOUT_POINTS (may be empty), IDLE_CLIENTS (0 skips
# idle), IRC_IDLE_CLIENTS (idle for the IRC servers; default IDLE_CLIENTS), CHURN_SECONDS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
RUNS=${1:-3}
# clients:senders:rate:seconds
FANOUT_POINTS=${FANOUT_POINTS-"100:10:10000:10 1000:50:200:10"}
IDLE_CLIENTS=${IDLE_CLIENTS:-5000}
IRC_IDLE_CLIENTS=${IRC_IDLE_CLIENTS:-$IDLE_CLIENTS}
CHURN_SECONDS=${CHURN_SECONDS:-10}
OPER_NAME=bench
OPER_PASSWORD=bench

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chat-comparison.XXXXXX")
STARTED_PID=

stop_started() {
  if [ -n "$STARTED_PID" ] && kill -0 "$STARTED_PID" 2>/dev/null; then
    kill "$STARTED_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$STARTED_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$STARTED_PID" 2>/dev/null || true
  fi
  STARTED_PID=
}
trap stop_started EXIT

install_missing() {
  local missing=()
  command -v ngircd >/dev/null 2>&1 || [ -x /usr/sbin/ngircd ] || missing+=(ngircd)
  command -v inspircd >/dev/null 2>&1 || [ -x /usr/sbin/inspircd ] || missing+=(inspircd)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || { echo "run as root or install: ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  # The packages start system-wide services; this script uses its own instances only.
}

await_port() {
  local port=$1
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$port" >&2
  return 1
}

write_ngircd_conf() {
  local dir=$1 port=$2
  cat >"$dir/ngircd.conf" <<CONF
[Global]
	Name = bench.ngircd.local
	Info = benchmark
	Listen = 127.0.0.1
	Ports = $port
	MotdPhrase = benchmark
	PidFile = $dir/ngircd.pid
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxListSize = 100000
	PingTimeout = 600
	PongTimeout = 600
	IdleTimeout = 0
[Options]
	DNS = no
	Ident = no
	PAM = no
[Operator]
	Name = $OPER_NAME
	Password = $OPER_PASSWORD
CONF
}

write_inspircd_conf() {
  local dir=$1 port=$2
  cat >"$dir/inspircd.conf" <<CONF
<server name="bench.inspircd.local" description="benchmark" network="bench">
<admin name="bench" nick="bench" email="bench@bench.local">
<bind address="127.0.0.1" port="$port" type="clients">
<pid file="$dir/inspircd.pid">
<performance netbuffersize="65536" somaxconn="1024" softlimit="19900" clonesonconnect="no" quietbursts="yes" nouserdns="yes" timeskipwarn="0">
<connect name="bench" allow="*" maxchans="20" timeout="60" pingfreq="600" localmax="100000" globalmax="100000"
         maxconnwarn="no" resolvehostnames="no" useident="no" limit="100000" uniqueusernames="no"
         recvq="1048576" softsendq="1073741824" hardsendq="1073741824" threshold="100000000"
         commandrate="100000000" fakelag="no">
<channels users="100000" opers="100000">
<limits maxnick="30" maxchan="64" maxmodes="20" maxident="12" maxquit="255" maxtopic="307" maxkick="255" maxreal="128" maxgecos="128" maxaway="200">
<class name="Bench" commands="*" privs="*" usermodes="*" chanmodes="*">
<type name="Bench" classes="Bench">
<oper name="$OPER_NAME" password="$OPER_PASSWORD" host="*@*" type="Bench">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$dir/inspircd.log">
CONF
}

bench() {
  "$ROOT/chat" bench "$@" | tee -a "$WORK/results.txt"
}

run_workloads() {
  local label=$1 pid=$2 port=$3 idle_clients=$4
  shift 4
  local point clients senders rate seconds run
  echo "=== $label (pid $pid, port $port) $(date -Is)" | tee -a "$WORK/results.txt"
  for point in $FANOUT_POINTS; do
    IFS=: read -r clients senders rate seconds <<<"$point"
    for run in $(seq "$RUNS"); do
      echo "--- $label fanout $clients/$senders/$rate run $run" | tee -a "$WORK/results.txt"
      bench fanout "$@" --clients "$clients" --senders "$senders" --rate "$rate" --duration "$seconds" || true
    done
  done
  # Churn before idle: an IRC server is busy for a long while announcing the quits of idle's clients.
  echo "--- $label churn" | tee -a "$WORK/results.txt"
  bench churn "$@" --duration "$CHURN_SECONDS" || true
  if [ "$idle_clients" -gt 0 ]; then
    echo "--- $label idle $idle_clients" | tee -a "$WORK/results.txt"
    bench idle "$@" --clients "$idle_clients" --hold 3 || true
  fi
}

install_missing
"$ROOT/chat" build

# This server: the benchmark starts and stops it itself, one process per run.
run_workloads chat 0 0 "$IDLE_CLIENTS"

# ngIRCd
dir="$WORK/ngircd"; mkdir -p "$dir"; port=$(free_port)
write_ngircd_conf "$dir" "$port"
/usr/sbin/ngircd --nodaemon --config "$dir/ngircd.conf" >"$dir/out.txt" 2>&1 &
STARTED_PID=$!
await_port "$port"
run_workloads ngircd "$STARTED_PID" "$port" "$IRC_IDLE_CLIENTS" --target irc --port "$port" --pid "$STARTED_PID" \
  --oper "$OPER_NAME:$OPER_PASSWORD"
stop_started

# InspIRCd
dir="$WORK/inspircd"; mkdir -p "$dir"; port=$(free_port)
write_inspircd_conf "$dir" "$port"
/usr/sbin/inspircd --nofork --runasroot --config="$dir/inspircd.conf" >"$dir/out.txt" 2>&1 &
STARTED_PID=$!
await_port "$port"
run_workloads inspircd "$STARTED_PID" "$port" "$IRC_IDLE_CLIENTS" --target irc --port "$port" --pid "$STARTED_PID"
stop_started

echo "all results: $WORK/results.txt"
