#!/usr/bin/env bash
# Coverage-guided fuzzing of the targets in fuzz/ (the passage splitter, the
# attribution rules, query handling) with cargo-fuzz and libFuzzer, on
# stable Rust: `-s none` leaves out the sanitizer, which needs nightly;
# Rust's own checks (bounds, overflow in debug assertions, UTF-8 slicing)
# still panic, and overflow checks are on. Debug assertions are off (-O),
# as in the test build for tantivy, whose PhraseScorer asserts more than
# its DocSet contract promises (see Cargo.toml). Each target runs for SECONDS (default 300). A failing input
# is saved under fuzz/artifacts/TARGET/, where tests/fuzz_seeds.rs replays
# it in the normal test run; the corpus grown is kept in fuzz/corpus/.
#   usage: reliability/fuzz.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  . "$HOME/.cargo/env"
fi
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(passages attribution query)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2 --locked || exit 2
export RUSTFLAGS="${RUSTFLAGS:-} -Coverflow-checks=on"
cargo fuzz build -O -s none || exit 2

failed=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  cp -n seeds/"$target"/* "corpus/$target/"
  [ "$target" = passages ] && cp -n ../corpus/*.md "corpus/$target/"
  log="corpus/$target.log"
  cargo fuzz run -O -s none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1
  code=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
  corp=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*')
  crashes=$(ls "artifacts/$target" 2>/dev/null | wc -l)
  echo "fuzz: $target: ${runs:-?} inputs in $seconds s, coverage ${cov:-?} edges, corpus ${corp:-?}, exit $code, saved failures $crashes"
  if [ $code -ne 0 ]; then
    failed=1
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -20
  fi
done
exit $failed
