#!/usr/bin/env bash
# Builds and runs the native Hyperscan baseline against the same libhs.so the JNI binding unpacks (JavaCPP's cache),
# on the pattern set and corpus MatcherBench uses. Needs gcc and libhyperscan-dev (headers only).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${TMPDIR:-/tmp}/judo-hs-baseline"
mkdir -p "$out"
java -Djudo.shared.dir="${JUDO_SHARED:-$here/../shared}" -cp "$here/bench/target/benchmarks.jar" \
  io.judo.bench.MatcherBaselineData "$out"
so="$(find ~/.javacpp/cache -name libhs.so -path '*benchmarks.jar*' | head -1)"
# The unpacked file is libhs.so but its SONAME is libhs.so.5: offer both names, or the loader takes the system copy.
lib="$out/lib"
mkdir -p "$lib"
ln -sf "$so" "$lib/libhs.so"
ln -sf "$so" "$lib/libhs.so.5"
gcc -O2 -o "$out/hs_baseline" "$here/bench/native/hs_baseline.c" -I/usr/include -L"$lib" -lhs -Wl,-rpath,"$lib"
"$out/hs_baseline" "$out/patterns.txt" "$out/corpus.bin" 64 1500 65536
