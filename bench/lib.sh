# Shell functions the benchmark scripts share; sourced, not run.

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 10000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
