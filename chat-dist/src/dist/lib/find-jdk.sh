# Finds a JDK of feature version $JAVA_FEATURE or newer. Sourced (bash) by ./chat in the
# project and by the release's bin/ scripts; defines functions only.

# Prints the feature version (e.g. 25) of the JDK or runtime in folder $1, or nothing.
jdk_feature() {
  local home=$1 version
  [ -x "$home/bin/java" ] && [ -f "$home/release" ] || return 0
  version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release")
  printf '%s' "$version"
}

# Prints the folder of the first good one of: CHAT_JAVA_HOME (chosen explicitly: that one or
# none), the folders given as arguments, JAVA_HOME, the java on PATH, the usual install
# folders. Fails (status 1) when there is none; status 2 when CHAT_JAVA_HOME is not one.
find_jdk() {
  local candidate feature on_path
  local -a candidates=("$@")
  if [ -n "${CHAT_JAVA_HOME:-}" ]; then
    feature=$(jdk_feature "$CHAT_JAVA_HOME")
    if [ -n "$feature" ] && [ "$feature" -ge "$JAVA_FEATURE" ]; then
      printf '%s' "$CHAT_JAVA_HOME"
      return 0
    fi
    return 2
  fi
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if on_path=$(command -v java 2>/dev/null); then
    on_path=$(readlink -f "$on_path")
    candidates+=("$(dirname "$(dirname "$on_path")")")
  fi
  shopt -s nullglob
  candidates+=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk*
    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home)
  shopt -u nullglob
  for candidate in "${candidates[@]}"; do
    feature=$(jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$JAVA_FEATURE" ]; then
      printf '%s' "$candidate"
      return 0
    fi
  done
  return 1
}
