#!/usr/bin/env bash
# Makes Temporal's Java time-skipping test server available as an executable the SDK can run
# (TestWorkflowEnvironment.createTimeSkipping with an 'existing-path' executable).
# Fetches io.temporal:temporal-test-server and its dependencies, pinned, from Maven Central
# into the shared cache; prints the executable's path on the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"

version="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
dir="$STAGED_RELEASE_CACHE/temporal-test-server-$version"
launcher="$dir/temporal-test-server"

if [[ "${TEMPORAL_TEST_SERVER:-}" == download ]]; then
  echo "TEMPORAL_TEST_SERVER=download: the Temporal SDK downloads its own test server" >&2; exit 0
fi
if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]] || { echo "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file" >&2; exit 1; }
  echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0
fi
if [[ -x "$launcher" && -f "$dir/.complete" ]]; then echo "$launcher"; exit 0; fi

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null; then
    cat >&2 <<MSG
The time-skipping test server needs '$tool', which is not on PATH.
Install a JDK 11+ and Maven (for example 'apt-get install openjdk-17-jre-headless maven',
'brew install openjdk maven', or https://adoptium.net and https://maven.apache.org/install.html),
or point TEMPORAL_TEST_SERVER_PATH at an existing test server executable.
MSG
    exit 1
  fi
done

echo "Fetching Temporal's Java test server $version and its dependencies from Maven Central into $dir ..." >&2
start=$(date +%s)
rm -rf "$dir" && mkdir -p "$dir/lib"
cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.staged-release</groupId>
  <artifactId>test-server-fetch</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
POM
mvn -B -q -f "$dir/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/lib" >&2
cat > "$launcher" <<'SH'
#!/usr/bin/env bash
# Started by the Temporal SDK as '<this> <port> [extra args]'.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
SH
chmod +x "$launcher"
touch "$dir/.complete"
echo "Test server ready in $(( $(date +%s) - start ))s: $launcher" >&2
echo "$launcher"
