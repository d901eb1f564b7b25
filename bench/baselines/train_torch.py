#!/usr/bin/python3
"""Train the run's shadow models one after another with a plain PyTorch loop (speed baseline).

Usage: /usr/bin/python3 bench/baselines/train_torch.py RUN_DIR CSV [--models K] [--epochs 20]
       [--batch-size 256] [--width 128] [--lr 0.001]

RUN_DIR is a folder written by `privaudit plan` (membership.npy [models, pool], plan/
pool_records.npy [pool]); CSV is the table it was planned on, with numeric features, `id` and the
0/1 label `status`. Model m is an MLP Linear(D, width), ReLU, Linear(width, 1) trained with
BCEWithLogitsLoss and Adam on the pool records with membership[m] == 1, in shuffled minibatches,
and then computes logits for every pool record. Prints one JSON line with the timing of training
and scoring (reading and encoding the CSV are timed separately as prepare_seconds).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from tabular import add_training_arguments, load_run


def train_one(x, y, seed, args):
    """Train one MLP on x [rows, D] and y [rows], and return it."""
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], args.width), torch.nn.ReLU(),
                                torch.nn.Linear(args.width, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(seed)
    for _ in range(args.epochs):
        order = torch.randperm(x.shape[0], generator=generator)
        for start in range(0, x.shape[0], args.batch_size):
            batch = order[start:start + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]).squeeze(1), y[batch])
            loss.backward()
            optimizer.step()
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_training_arguments(parser)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="torch.set_num_threads value (default: os.cpu_count())")
    parser.add_argument("--save", help="write the logits [K, pool] float32 to this .npy file")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    x_np, y_np, membership = load_run(args.run_dir, args.csv, args.min_level_count)
    prepare_seconds = time.perf_counter() - start
    models = membership.shape[0] if args.models is None else args.models
    if not 1 <= models <= membership.shape[0]:
        parser.error(f"--models {models} must be in [1, {membership.shape[0]}]")
    x = torch.from_numpy(x_np)
    y = torch.from_numpy(y_np)

    logits = np.empty((models, x.shape[0]), dtype=np.float32)
    rows = []
    start = time.perf_counter()
    for m in range(models):
        train = torch.from_numpy(np.flatnonzero(membership[m]))
        model = train_one(x[train], y[train], args.seed + m, args)
        with torch.no_grad():
            logits[m] = model(x).squeeze(1).numpy()
        rows.append(int(train.numel()))
    seconds = time.perf_counter() - start

    if args.save:
        np.save(args.save, logits)
    parameters = sum(p.numel() for p in model.parameters())
    print(json.dumps({
        "tool": "torch " + torch.__version__, "models": models, "seconds": seconds,
        "seconds_per_model": seconds / models, "threads": torch.get_num_threads(),
        "rows_per_model": float(np.mean(rows)), "parameters": parameters,
        "inputs": int(x.shape[1]), "pool": int(x.shape[0]), "epochs": args.epochs,
        "batch_size": args.batch_size, "prepare_seconds": prepare_seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
