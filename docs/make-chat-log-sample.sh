#!/usr/bin/env bash
# Makes chat.log.sample from a real, scripted session of the server: joins, chat, a private
# message, a refused name, /who, a room with a topic, /me, a name change, leaves and a
# shutdown. Run from anywhere:
#   docs/make-chat-log-sample.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$root/chat" build
cd "$work"
"$root/chat" server --bind 127.0.0.1 --port 0 >server.out 2>server.err &
server=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on .*:\([0-9]*\),.*/\1/p' server.out)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat server.err >&2; exit 1; }

# say FD LINE: sends a line on a client's connection, then gives the server a moment, so
# that the log reads in the order of the script.
say() {
  printf '%s\n' "$2" >&"$1"
  sleep 0.3
}

exec 3<>"/dev/tcp/127.0.0.1/$port" 4<>"/dev/tcp/127.0.0.1/$port" 5<>"/dev/tcp/127.0.0.1/$port"
cat <&3 >/dev/null & cat <&4 >/dev/null & cat <&5 >/dev/null &
say 3 alice
say 4 bob
say 3 "Morning! Is the build green?"
say 4 "It is, deployed at 9."
say 5 Alice
say 5 carol
say 5 /who
say 3 "/msg bob can you look at the release notes?"
say 4 "/msg alice sure, after lunch"
say 3 "/join #release"
say 3 "/topic 1.0 ships on Friday"
say 4 "/join #release"
say 4 "notes are done"
say 3 "/me cheers"
say 4 "/nick robert"
say 5 "see you all tomorrow"
say 5 /quit
say 4 /quit
kill -TERM "$server"
wait "$server" || true
cp chat.log "$root/chat.log.sample"
echo "wrote $root/chat.log.sample"
