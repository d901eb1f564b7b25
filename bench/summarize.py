#!/usr/bin/env python3
"""Print the benchmark table of `make bench` (Markdown) from the JSON files in bench/out.

Each target of the benchmark is a ratio measured in one run on one machine: privaudit against the
Python baselines (P1, P2), against the machine's own sgemm rate and one streaming pass over the
signals (P1, P2), against the signals' size (P3), and the demo's wall time (P4).
"""
import glob
import json
import os
import platform
import sys


def load(path):
    with open(path) as handle:
        return json.load(handle)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def verdict(ok, smoke):
    if smoke:
        return "smoke run (sizes too small to judge)"
    return "met" if ok else "NOT met"


def main():
    out = sys.argv[1]
    smoke = "--smoke" in sys.argv[2:]
    rows = []

    # P1: training throughput and GFLOP/s.
    train = load(os.path.join(out, "privaudit_train.time.json"))
    torch = load(os.path.join(out, "torch.json"))
    sklearn = load(os.path.join(out, "sklearn.json"))
    sgemm = load(os.path.join(out, "sgemm.json"))
    recipe = load(os.path.join(out, "run", "train.json"))
    epochs = recipe["train"]["epochs"]
    flop = 0.0
    models = 0
    for path in sorted(glob.glob(os.path.join(out, "run", "models", "model_*.json"))):
        model = load(path)
        # forward 2, backward 4 multiply-adds per parameter and training row and epoch
        flop += 6.0 * model["training_records"] * epochs * model["parameters"]
        models += 1
    privaudit_per_model = train["wall_seconds"] / models
    torch_per_model = torch["seconds_per_model"]
    speedup = torch_per_model / privaudit_per_model
    gflops = flop / train["wall_seconds"] / 1e9
    machine = sgemm["machine_gflops"]
    rows.append(("P1 training vs PyTorch loop", f"{models} MLPs in {train['wall_seconds']:.2f} s "
                 f"({privaudit_per_model:.3f} s/model); PyTorch {torch_per_model:.3f} s/model "
                 f"({torch['threads']} threads, {torch['models']} models)", f"{speedup:.1f}x", ">= 10x",
                 verdict(speedup >= 10, smoke)))
    torch_one = load(os.path.join(out, "torch_one_thread.json"))
    rows.append(("P1 vs PyTorch loop, 1 thread", f"PyTorch {torch_one['seconds_per_model']:.3f} s/model with "
                 f"torch.set_num_threads(1) ({torch_one['models']} models)",
                 f"{torch_one['seconds_per_model'] / privaudit_per_model:.1f}x", "reported", "-"))
    rows.append(("P1 vs scikit-learn MLPClassifier", f"sklearn {sklearn['seconds_per_model']:.3f} s/model "
                 f"({sklearn['models']} models)", f"{sklearn['seconds_per_model'] / privaudit_per_model:.1f}x",
                 "reported", "-"))
    rows.append(("P1 GFLOP/s vs sgemm rate", f"{gflops:.0f} GFLOP/s achieved; sgemm {machine:.0f} GFLOP/s "
                 f"({sgemm['per_core_best_gflops']:.0f} per core x {sgemm['threads']})",
                 f"{gflops / machine:.0%}", ">= 50%", verdict(gflops / machine >= 0.5, smoke)))

    # P2: analysis against NumPy and against one streaming pass.
    analysis = load(os.path.join(out, "analysis.json"))
    numpy_stages = {}
    with open(os.path.join(out, "numpy_analysis.jsonl")) as handle:
        for line in handle:
            if line.strip():
                stage = json.loads(line)
                numpy_stages[stage["stage"]] = stage["seconds"]
    numpy_total = sum(numpy_stages.values())
    ours = analysis["analysis_s"]
    size = f"N = {analysis['records']:,}, M = {analysis['models']}, {analysis['targets']} targets"
    rows.append(("P2 analysis vs NumPy", f"{size}: privaudit {ours:.2f} s, NumPy {numpy_total:.2f} s "
                 "(record stats, LiRA online and offline, RMIA online)", f"{numpy_total / ours:.1f}x", ">= 20x",
                 verdict(numpy_total / ours >= 20, smoke)))
    rows.append(("P2 analysis vs one streaming pass", f"streaming pass {analysis['stages_s']['a_stream']:.3f} s",
                 f"{analysis['analysis_over_stream']:.1f}x", "<= 3x",
                 verdict(analysis["analysis_over_stream"] <= 3, smoke)))

    # P3: memory.
    rss = analysis["peak_rss_over_signals"]
    rows.append(("P3 analysis peak RSS", f"{analysis['peak_rss_bytes'] / 2**20:.0f} MiB for "
                 f"{analysis['signals_bytes'] / 2**20:.0f} MiB of signals (membership matrix included)",
                 f"{rss:.2f}x", "<= 1.5x", verdict(rss <= 1.5, smoke)))
    quarter = load(os.path.join(out, "privaudit_train_quarter.time.json"))
    rows.append(("P3 training RSS vs M", f"{quarter['max_rss_kib'] / 1024:.0f} MiB with a quarter of the models, "
                 f"{train['max_rss_kib'] / 1024:.0f} MiB with all {models}",
                 f"{train['max_rss_kib'] / quarter['max_rss_kib']:.2f}x", "~1x (no growth with M)",
                 verdict(train["max_rss_kib"] <= 1.25 * quarter["max_rss_kib"], smoke)))

    # P4: demo.
    demo = load(os.path.join(out, "demo.time.json"))
    rows.append(("P4 make demo (build excluded)", "64 MLPs on the bundled table, plan to report",
                 f"{demo['wall_seconds']:.1f} s", "< 60 s", verdict(demo["wall_seconds"] < 60, smoke)))

    print(f"Machine: {cpu_name()}, {os.cpu_count()} hardware threads, Linux {platform.release()}")
    print("")
    print("| target | measured | value | goal | verdict |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("")
    print("NumPy stages (s): " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in numpy_stages.items()))
    print("privaudit stages (s): " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in
                                              analysis["stages_s"].items()))


if __name__ == "__main__":
    main()
