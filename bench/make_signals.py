#!/usr/bin/python3
"""Write synthetic membership signals for the analysis benchmark.

Usage: /usr/bin/python3 bench/make_signals.py OUT_DIR [--records 100000] [--models 200] [--seed 1]

Writes OUT_DIR/membership.npy, uint8 [models, records], where each record is IN (1) in exactly
models / 2 models, chosen at random per record, and OUT_DIR/signals.npy, float32 [models, records]:
  phi[m, r] = base[r] + sd[r] * noise[m, r] + keep[m, r] * shift[r]
with base ~ N(2, 1.5^2) (a logit-scaled confidence), sd = 0.5 exp(0.3 N(0, 1)), standard normal
noise, and shift = 0.1 sd |t_2| (Student t with 2 degrees of freedom), so most records barely move
when IN and a heavy tail does. A further 0.1% of records (at least one) get shift = 5 sd and are
almost perfectly separable.
"""

import argparse
import os
import sys
import time

import numpy as np


def make_signals(records, models, seed):
    """(signals [models, records] float32, membership [models, records] uint8)."""
    rng = np.random.default_rng(seed)
    column = np.repeat(np.array([1, 0], dtype=np.uint8), models // 2)
    membership = rng.permuted(np.broadcast_to(column[:, None], (models, records)), axis=0)

    base = rng.normal(2.0, 1.5, records).astype(np.float32)
    sd = (0.5 * np.exp(0.3 * rng.standard_normal(records))).astype(np.float32)
    shift = (0.1 * sd * np.abs(rng.standard_t(2, records))).astype(np.float32)
    strong = rng.choice(records, max(1, records // 1000), replace=False)
    shift[strong] = 5.0 * sd[strong]

    signals = rng.standard_normal((models, records), dtype=np.float32)
    signals *= sd
    signals += base
    signals += membership * shift
    return signals, membership


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="folder for signals.npy and membership.npy")
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--models", type=int, default=200, help="even, >= 2")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.models < 2 or args.models % 2:
        parser.error(f"--models {args.models} must be even and >= 2")
    if args.records < 1:
        parser.error(f"--records {args.records} must be >= 1")

    start = time.perf_counter()
    signals, membership = make_signals(args.records, args.models, args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    np.save(os.path.join(args.out_dir, "signals.npy"), signals)
    np.save(os.path.join(args.out_dir, "membership.npy"), membership)
    print(f"wrote {args.models} x {args.records} signals and membership to {args.out_dir} "
          f"in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
