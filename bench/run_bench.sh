#!/usr/bin/env bash
# `make bench`: builds privaudit in Release, prepares the inputs, runs privaudit and the Python
# baselines side by side on this machine, and prints the table of targets (bench/out/results.md).
#   bench/run_bench.sh           full run (several minutes)
#   bench/run_bench.sh --smoke   tiny sizes, no timing claims (used by the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1
BUILD_DIR=${BUILD_DIR:-build-bench}
OUT=${OUT:-bench/out}
PYTHON=/usr/bin/python3
THREADS=$(nproc)
mkdir -p "$OUT"

# Peak RSS in KiB and wall seconds of a command, as JSON, through GNU time.
measure() {
  local name=$1
  shift
  /usr/bin/time -f '{"wall_seconds": %e, "max_rss_kib": %M}' -o "$OUT/$name.time.json" "$@"
}

if [[ $SMOKE == 0 ]]; then
  echo "== build (Release) in $BUILD_DIR" >&2
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DPRIVAUDIT_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j "$THREADS" --target privaudit privaudit_bench privaudit_microbench >/dev/null
fi
PRIVAUDIT=$BUILD_DIR/src/cli/privaudit
BENCH=$BUILD_DIR/bench/cpp/privaudit_bench

# 1. Inputs: the NAFLD cohort joined into one row per patient, and synthetic signals for P2.
if [[ $SMOKE == 1 ]]; then
  RECORDS=2000; MODELS=16; TRAIN_MODELS=4; EPOCHS=2; TORCH_MODELS=1
else
  RECORDS=100000; MODELS=200; TRAIN_MODELS=64; EPOCHS=20; TORCH_MODELS=64
fi
echo "== inputs" >&2
$PYTHON bench/prepare_nafld.py "$OUT/nafld.csv" >&2
$PYTHON bench/make_signals.py "$OUT/signals" --records $RECORDS --models $MODELS --seed 1 >&2

# 2. P1 training: privaudit (one model per thread) against the PyTorch loop and scikit-learn.
echo "== P1 training: $TRAIN_MODELS MLPs, width 128, $EPOCHS epochs, batch 256, Adam" >&2
rm -rf "$OUT/run"
"$PRIVAUDIT" plan "$OUT/run" --input "$OUT/nafld.csv" --label status --patient-id id \
  --models $TRAIN_MODELS --log-level warn >/dev/null
measure privaudit_train "$PRIVAUDIT" train "$OUT/run" --model mlp --width 128 --depth 1 --epochs $EPOCHS \
  --batch-size 256 --lr 0.001 --threads "$THREADS" --log-level warn >/dev/null
$PYTHON bench/baselines/train_torch.py "$OUT/run" "$OUT/nafld.csv" --models $TORCH_MODELS --epochs $EPOCHS \
  --batch-size 256 --width 128 --lr 0.001 > "$OUT/torch.json"
# The same loop with PyTorch pinned to one thread, which is faster for models this small.
$PYTHON bench/baselines/train_torch.py "$OUT/run" "$OUT/nafld.csv" --models $(( TORCH_MODELS / 4 > 0 ? TORCH_MODELS / 4 : 1 )) \
  --epochs $EPOCHS --batch-size 256 --width 128 --lr 0.001 --threads 1 > "$OUT/torch_one_thread.json"
$PYTHON bench/baselines/train_sklearn.py "$OUT/run" "$OUT/nafld.csv" --models 2 --epochs $EPOCHS \
  --batch-size 256 --width 128 --lr 0.001 > "$OUT/sklearn.json" 2>/dev/null
"$BENCH" sgemm --threads "$THREADS" > "$OUT/sgemm.json"

# 3. P3 training memory: peak RSS with a quarter of the models against all of them.
QUARTER_MODELS=$(( TRAIN_MODELS / 4 + (TRAIN_MODELS / 4) % 2 ))
(( QUARTER_MODELS < 4 )) && QUARTER_MODELS=4
rm -rf "$OUT/run_quarter"
"$PRIVAUDIT" plan "$OUT/run_quarter" --input "$OUT/nafld.csv" --label status --patient-id id \
  --models "$QUARTER_MODELS" --log-level warn >/dev/null
measure privaudit_train_quarter "$PRIVAUDIT" train "$OUT/run_quarter" --width 128 --epochs $EPOCHS \
  --batch-size 256 --lr 0.001 --threads "$THREADS" --log-level warn >/dev/null

# 4. P2 analysis: privaudit's kernels against NumPy on the same synthetic matrices.
echo "== P2 analysis: $RECORDS records x $MODELS models" >&2
measure privaudit_analysis "$BENCH" analysis "$OUT/signals/signals.npy" "$OUT/signals/membership.npy" \
  --targets 10 --threads "$THREADS" > "$OUT/analysis.json"
measure numpy_analysis $PYTHON bench/baselines/attacks_numpy.py --bench --signals "$OUT/signals/signals.npy" \
  --membership "$OUT/signals/membership.npy" --targets 10 > "$OUT/numpy_analysis.jsonl"

# 5. P4: the README's demo audit (build excluded).
echo "== P4 demo" >&2
rm -rf "$OUT/demo"
measure demo "$PRIVAUDIT" audit "$OUT/demo" --config configs/nmes1988.toml --log-level warn >/dev/null

# 6. The table.
$PYTHON bench/summarize.py "$OUT" $([[ $SMOKE == 1 ]] && echo --smoke) | tee "$OUT/results.md"
