# Runs a part of the release: sourced (bash) by the scripts in bin/, which call
#   launch PART MAIN_CLASS ARGUMENTS...
# PART's jars are in lib/PART, its JVM options in conf/PART.jvm.options (CHAT_JAVA_OPTS adds
# to them). The JDK: a runtime/ folder beside bin/ if the release has one, else as find_jdk says.

JAVA_FEATURE=25
CHAT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=find-jdk.sh
. "$CHAT_HOME/lib/find-jdk.sh"

launch() {
  local part=$1 main=$2 jdk status=0
  shift 2
  jdk=$(find_jdk "$CHAT_HOME/runtime") || status=$?
  case $status in
    0) ;;
    2) printf 'chat: CHAT_JAVA_HOME (%s) is not a Java %s or newer\n' "$CHAT_JAVA_HOME" "$JAVA_FEATURE" >&2; exit 1 ;;
    *) printf 'chat: no Java %s or newer found; install one or set CHAT_JAVA_HOME\n' "$JAVA_FEATURE" >&2; exit 1 ;;
  esac
  local -a options=()
  if [ -f "$CHAT_HOME/conf/$part.jvm.options" ]; then
    # shellcheck disable=SC2207  # a line may hold several options.
    options=($(sed -e '/^[[:space:]]*#/d' "$CHAT_HOME/conf/$part.jvm.options"))
  fi
  # The clients keep their keys and known servers in ~/.chat: the ~ of $HOME, as other programs
  # do, rather than the JVM's own idea of home (the account's, whatever HOME says).
  case $part in
    console | gui) [ -z "${HOME:-}" ] || options+=("-Duser.home=$HOME") ;;
  esac
  # shellcheck disable=SC2086  # CHAT_JAVA_OPTS holds several options on purpose.
  exec "$jdk/bin/java" ${options[@]+"${options[@]}"} ${CHAT_JAVA_OPTS:-} -cp "$CHAT_HOME/lib/$part/*" "$main" "$@"
}
