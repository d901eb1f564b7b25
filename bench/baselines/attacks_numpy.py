#!/usr/bin/python3
"""Plain NumPy implementation of privaudit's membership-inference attacks (src/attacks/).

It computes the same formulas as the C++ module and serves two purposes: the reference that
produced the scores pinned in src/attacks/pinned_example_test.cpp (run with --example), and the
speed baseline for the C++ engine (run with --signals and --membership). Adding --bench times
record statistics, LiRA online and offline and RMIA online stage by stage.

Inputs are phi [models, records], the logit-scaled confidence log(p / (1 - p)) of the true label,
and keep [models, records], 1 where the record was in the model's training set. Larger scores
mean "more likely a member" for every attack.

Attacks:
  LiRA (Carlini et al. 2022, "Membership Inference Attacks From First Principles"): online score
    log N(x; mu_in, sd_in^2) - log N(x; mu_out, sd_out^2); offline score z = (x - mu_out) / sd_out,
    which ranks records as the one-sided Phi(z) does without rounding to 1.
  RMIA (Zarifzadeh, Liu, Shokri 2024, "Low-Cost High-Power Membership Inference Attacks"):
    fraction of population records z != x with ratio_x / ratio_z > gamma.
  Loss: score = phi of the target model.
Record statistics (privaudit::risk::compute_record_risk): per record the IN/OUT means and
population SDs, binormal AUC, its Hanley-McNeil standard error and the Mann-Whitney AUC.

The attacks need numpy only; record statistics and --bench also need scipy (tested with Debian's
numpy 1.24.2 and scipy 1.10.1 under /usr/bin/python3).
"""

import argparse
import json
import sys
import time
import warnings

import numpy as np

MASK64 = (1 << 64) - 1
LOG_SQRT_TWO_PI = 0.5 * np.log(2.0 * np.pi)


# ---------------------------------------------------------------------------------------------
# Random numbers: the same xoshiro256** stream as privaudit::Rng (src/core/random.cpp).


def _splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


class Xoshiro256StarStar:
    """xoshiro256** 1.0 seeded through SplitMix64, as privaudit::Rng."""

    def __init__(self, seed):
        state = seed & MASK64
        self.s = []
        for _ in range(4):
            state, word = _splitmix64(state)
            self.s.append(word)

    def next(self):
        s = self.s
        result = (_rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def below(self, bound):
        """Uniform integer in [0, bound) by Lemire's multiply-shift with rejection."""
        product = self.next() * bound
        low = product & MASK64
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                product = self.next() * bound
                low = product & MASK64
        return product >> 64


def sample_population(records, count, seed):
    """`count` distinct indices of [0, records) by a partial Fisher-Yates shuffle, in draw order."""
    order = np.arange(records, dtype=np.int64)
    rng = Xoshiro256StarStar(seed)
    for k in range(count):
        j = k + rng.below(records - k)
        order[k], order[j] = order[j], order[k]
    return order[:count].copy()


# ---------------------------------------------------------------------------------------------
# LiRA


def lira_fit(phi_ref, keep_ref, center="median", variance="per_record", min_sd=1e-30):
    """Per-record Gaussian fits from reference rows phi_ref, keep_ref [references, records].

    Returns (mu_in, sd_in, mu_out, sd_out), each [records]. Per-record SD is numpy.std (ddof 0);
    variance="fixed" uses numpy.std of all IN (resp. OUT) reference signals pooled over records.
    A record without IN (resp. OUT) references gets the pooled mean and pooled SD. min_sd is added
    to every SD.
    """
    fits = []
    for side in (keep_ref, ~keep_ref):
        values = np.where(side, phi_ref, np.nan)
        count = side.sum(axis=0)
        pooled = phi_ref[side]
        pooled_mean = pooled.mean() if pooled.size else np.nan
        pooled_sd = pooled.std() if pooled.size else np.nan
        has = count > 0
        with warnings.catch_warnings():
            # All-NaN columns (records without this side) warn; they get the fallback below.
            warnings.simplefilter("ignore", RuntimeWarning)
            if center == "median":
                mu = np.nanmedian(values, axis=0)
            else:
                mu = np.nanmean(values, axis=0)
            sd = np.nanstd(values, axis=0)
        if variance == "fixed":
            sd = np.full_like(sd, pooled_sd)
        mu = np.where(has, mu, pooled_mean)
        sd = np.where(has, sd, pooled_sd) + min_sd
        fits.extend([mu, sd])
    return tuple(fits)


def _normal_logpdf(x, mu, sd):
    z = (x - mu) / sd
    return -0.5 * z * z - np.log(sd) - LOG_SQRT_TWO_PI


def lira_online_scores(target_phi, fit):
    mu_in, sd_in, mu_out, sd_out = fit
    return _normal_logpdf(target_phi, mu_in, sd_in) - _normal_logpdf(target_phi, mu_out, sd_out)


def lira_offline_scores(target_phi, fit):
    _, _, mu_out, sd_out = fit
    return (target_phi - mu_out) / sd_out


def lira_online(phi, keep, target, references, **options):
    refs = np.asarray(references)
    return lira_online_scores(phi[target], lira_fit(phi[refs], keep[refs], **options))


def lira_offline(phi, keep, target, references, **options):
    refs = np.asarray(references)
    return lira_offline_scores(phi[target], lira_fit(phi[refs], keep[refs], **options))


# ---------------------------------------------------------------------------------------------
# RMIA


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def _masked_log_sum_exp(values, mask):
    """Column-wise log(sum(exp(values))) over rows where mask holds; -inf for an empty column."""
    masked = np.where(mask, values, -np.inf)
    high = masked.max(axis=0)
    safe_high = np.where(np.isfinite(high), high, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(masked - safe_high).sum(axis=0)) + safe_high


def rmia_fit(phi_ref, keep_ref):
    """(log_mean_in, log_mean_out) [records]: log of the mean sigmoid(phi) over IN / OUT refs."""
    log_p = log_sigmoid(phi_ref)
    result = []
    for side in (keep_ref, ~keep_ref):
        count = side.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_mean = _masked_log_sum_exp(log_p, side) - np.log(count)
        if side.any():
            pooled = log_p[side]
            high = pooled.max()
            fallback = np.log(np.exp(pooled - high).sum()) + high - np.log(pooled.size)
        else:
            fallback = np.nan
        result.append(np.where(count > 0, log_mean, fallback))
    return tuple(result)


def _log_offline_prior(log_mean_out, a):
    with np.errstate(divide="ignore"):
        return -np.log(2.0) + np.logaddexp(np.log1p(a) + log_mean_out, np.log1p(-a))


def rmia_priors(fit, population, mode, a=None):
    """(log Pr(x) [records], log Pr(z) [population]) for mode "online" or "offline"."""
    log_mean_in, log_mean_out = fit
    if mode == "online":
        return (-np.log(2.0) + np.logaddexp(log_mean_in, log_mean_out), log_mean_out[population])
    return (_log_offline_prior(log_mean_out, a), _log_offline_prior(log_mean_out[population], a))


def rmia_scores(target_phi, log_prior_x, log_prior_z, population, gamma=1.0):
    """Fraction of z in the population, z != x, with ratio_x / ratio_z > gamma."""
    log_sig = log_sigmoid(target_phi)
    log_ratio_x = log_sig - log_prior_x
    log_ratio_z = log_sig[population] - log_prior_z
    threshold = log_ratio_x - np.log(gamma)
    below = np.searchsorted(np.sort(log_ratio_z), threshold, side="left")
    in_population = np.zeros(target_phi.shape[0], dtype=bool)
    in_population[population] = True
    self_below = np.zeros(target_phi.shape[0], dtype=np.int64)
    self_below[population] = log_ratio_z < threshold[population]
    others = population.size - in_population.astype(np.int64)
    below = below - self_below
    return np.where(others > 0, below / np.maximum(others, 1), 0.0)


def population_for(records, population, seed):
    return sample_population(records, min(population, records - 1), seed)


def rmia_online(phi, keep, target, references, gamma=1.0, population=5000, seed=0):
    refs = np.asarray(references)
    pop = population_for(phi.shape[1], population, seed)
    prior_x, prior_z = rmia_priors(rmia_fit(phi[refs], keep[refs]), pop, "online")
    return rmia_scores(phi[target], prior_x, prior_z, pop, gamma)


def rmia_offline(phi, keep, target, references, a, gamma=1.0, population=5000, seed=0):
    refs = np.asarray(references)
    pop = population_for(phi.shape[1], population, seed)
    prior_x, prior_z = rmia_priors(rmia_fit(phi[refs], keep[refs]), pop, "offline", a)
    return rmia_scores(phi[target], prior_x, prior_z, pop, gamma)


def default_a_grid():
    return np.arange(21) / 20.0


def tune_rmia_offline_a(phi, keep, references, gamma=1.0, population=5000, seed=0,
                        a_grid=None, tuning_targets=1):
    """a on the grid with the largest mean AUC when references[0..tuning_targets) play the target."""
    grid = default_a_grid() if a_grid is None else np.asarray(a_grid, dtype=np.float64)
    refs = list(references)
    pop = population_for(phi.shape[1], population, seed)
    auc_sum = np.zeros(grid.size)
    usable = 0
    for pseudo in refs[:tuning_targets]:
        labels = keep[pseudo]
        if labels.all() or not labels.any():
            continue
        others = np.asarray([m for m in refs if m != pseudo])
        fit = rmia_fit(phi[others], keep[others])
        for g, a in enumerate(grid):
            prior_x, prior_z = rmia_priors(fit, pop, "offline", a)
            scores = rmia_scores(phi[pseudo], prior_x, prior_z, pop, gamma)
            auc_sum[g] += roc_auc(*roc_curve(scores, labels))
        usable += 1
    if usable == 0:
        raise ValueError("no pseudo-target has both member and non-member records")
    return float(grid[int(np.argmax(auc_sum))])


# ---------------------------------------------------------------------------------------------
# Loss attack


def loss_attack(phi, target):
    return phi[target].astype(np.float64)


# ---------------------------------------------------------------------------------------------
# Record-level statistics, with the conventions of privaudit::risk::compute_record_risk
# (src/risk/record_risk.h). Needs scipy (rankdata, ndtr) besides numpy.


def record_stats(phi, keep):
    """Compute the per-record IN/OUT summary of phi, keep [models, records] as [records] arrays.

    n_in, n_out, mean_in, sd_in, mean_out, sd_out (population SDs, ddof 0), auc_binormal
    Phi((mean_in - mean_out) / sqrt(sd_in^2 + sd_out^2)) (1, 0 or 0.5 by the sign of the mean
    difference when both SDs are 0), auc_se (Hanley and McNeil 1982 with A = auc_binormal) and
    auc_empirical (Mann-Whitney P(IN > OUT) + 0.5 P(IN == OUT)). Fields of an empty side, and all
    three AUC fields of a record without IN or without OUT models, are NaN.
    """
    from scipy.special import ndtr
    from scipy.stats import rankdata

    phi = np.asarray(phi, dtype=np.float64)
    keep = np.asarray(keep).astype(bool)
    n_in = keep.sum(axis=0)
    n_out = keep.shape[0] - n_in
    both = (n_in > 0) & (n_out > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Separate masked sums, not total minus IN, so that equal values give SD exactly 0.
        mean_in = np.where(keep, phi, 0.0).sum(axis=0) / n_in
        mean_out = np.where(keep, 0.0, phi).sum(axis=0) / n_out
        deviation = phi - np.where(keep, mean_in, mean_out)
        square = deviation * deviation
        var_in = np.where(keep, square, 0.0).sum(axis=0) / n_in
        var_out = np.where(keep, 0.0, square).sum(axis=0) / n_out

        # Binormal AUC. A zero total variance gives 1, 0 or 0.5 by the sign of the difference.
        difference = mean_in - mean_out
        total_sd = np.sqrt(var_in + var_out)
        auc_binormal = np.where(total_sd > 0, ndtr(difference / total_sd),
                                0.5 + 0.5 * np.sign(difference))
        auc_binormal = np.where(both, auc_binormal, np.nan)

        # Hanley and McNeil (1982): Q1 = A / (2 - A), Q2 = 2 A^2 / (1 + A).
        a = auc_binormal
        a2 = a * a
        variance = (a * (1 - a) + (n_in - 1) * (a / (2 - a) - a2)
                    + (n_out - 1) * (2 * a2 / (1 + a) - a2)) / (n_in * n_out)
        auc_se = np.sqrt(np.maximum(variance, 0.0))
        auc_se = np.where(both, auc_se, np.nan)

        # Mann-Whitney U from average ranks along the model axis, which counts ties as one half.
        ranks = rankdata(phi, axis=0)
        rank_sum_in = np.where(keep, ranks, 0.0).sum(axis=0)
        u = rank_sum_in - n_in * (n_in + 1) / 2.0
        auc_empirical = np.where(both, u / (n_in * n_out), np.nan)
    return {
        "n_in": n_in, "n_out": n_out, "mean_in": mean_in, "sd_in": np.sqrt(var_in),
        "mean_out": mean_out, "sd_out": np.sqrt(var_out), "auc_binormal": auc_binormal,
        "auc_se": auc_se, "auc_empirical": auc_empirical,
    }


# ---------------------------------------------------------------------------------------------
# ROC summaries, with the conventions of privaudit::stats (src/stats/roc.h).


def roc_curve(scores, labels):
    """(fpr, tpr): one point per distinct score, from (0, 0) to (1, 1), ties as one point."""
    labels = np.asarray(labels).astype(bool)
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    sorted_labels = labels[order]
    last_of_group = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    true_pos = np.cumsum(sorted_labels)[last_of_group]
    false_pos = np.cumsum(~sorted_labels)[last_of_group]
    n_pos = labels.sum()
    n_neg = labels.size - n_pos
    with np.errstate(invalid="ignore", divide="ignore"):
        fpr = np.r_[0.0, false_pos] / n_neg
        tpr = np.r_[0.0, true_pos] / n_pos
    return fpr, tpr


def roc_auc(fpr, tpr):
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) * 0.5))


def tpr_at_fpr(fpr, tpr, x):
    """TPR at FPR x: last point with FPR <= x, interpolated towards the next (numpy.interp)."""
    x = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
    j = np.searchsorted(fpr, x, side="right") - 1
    j = np.clip(j, 0, fpr.size - 1)
    nxt = np.minimum(j + 1, fpr.size - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (tpr[nxt] - tpr[j]) / (fpr[nxt] - fpr[j])
    return np.where(nxt == j, tpr[j], slope * (x - fpr[j]) + tpr[j])


def log_fpr_grid(min_fpr, points):
    grid = 10.0 ** (np.log10(min_fpr) + np.arange(points) * (-np.log10(min_fpr) / (points - 1)))
    grid[0] = min_fpr
    grid[-1] = 1.0
    return grid


def evaluate_attacks(phi, keep, targets=10, center="median", variance="per_record",
                     min_sd=1e-30, gamma=1.0, population=5000, seed=0, a_grid=None,
                     tuning_targets=1, fpr_grid_min=1e-5, fpr_grid_points=101):
    """Summaries of every attack; models 0..targets-1 are targets, the rest references."""
    models, records = phi.shape
    refs = np.arange(targets, models)
    lira = lira_fit(phi[refs], keep[refs], center, variance, min_sd)
    rmia = rmia_fit(phi[refs], keep[refs])
    pop = population_for(records, population, seed)
    a = tune_rmia_offline_a(phi, keep, refs, gamma, population, seed, a_grid, tuning_targets)
    online_priors = rmia_priors(rmia, pop, "online")
    offline_priors = rmia_priors(rmia, pop, "offline", a)
    grid = log_fpr_grid(fpr_grid_min, fpr_grid_points)

    attacks = {
        "lira_online": lambda t: lira_online_scores(phi[t], lira),
        "lira_offline": lambda t: lira_offline_scores(phi[t], lira),
        "rmia_online": lambda t: rmia_scores(phi[t], *online_priors, pop, gamma),
        "rmia_offline": lambda t: rmia_scores(phi[t], *offline_priors, pop, gamma),
        "loss": lambda t: loss_attack(phi, t),
    }
    summaries = []
    for name, attack in attacks.items():
        auc, low, moderate, curves = [], [], [], []
        for t in range(targets):
            fpr, tpr = roc_curve(attack(t), keep[t])
            auc.append(roc_auc(fpr, tpr))
            low.append(float(tpr_at_fpr(fpr, tpr, 1e-3)))
            moderate.append(float(tpr_at_fpr(fpr, tpr, 1e-2)))
            curves.append(tpr_at_fpr(fpr, tpr, grid))
        curves = np.asarray(curves)
        ddof1 = (lambda v: float(np.std(v, ddof=1))) if targets > 1 else (lambda v: float("nan"))
        summaries.append({
            "name": name,
            "auc": auc, "auc_mean": float(np.mean(auc)), "auc_sd": ddof1(auc),
            "tpr_at_fpr_0_001": low, "tpr_at_fpr_0_001_mean": float(np.mean(low)),
            "tpr_at_fpr_0_001_sd": ddof1(low),
            "tpr_at_fpr_0_01": moderate, "tpr_at_fpr_0_01_mean": float(np.mean(moderate)),
            "tpr_at_fpr_0_01_sd": ddof1(moderate),
            "fpr_grid": grid.tolist(),
            "tpr_grid_mean": curves.mean(axis=0).tolist(),
            "tpr_grid_sd": (curves.std(axis=0, ddof=1) if targets > 1
                            else np.full(grid.size, np.nan)).tolist(),
            "rmia_offline_a": a if name == "rmia_offline" else float("nan"),
        })
    return summaries


# ---------------------------------------------------------------------------------------------
# Fixed example pinned in src/attacks/pinned_example_test.cpp: 8 models x 6 records, float32.
# Record 4 is IN for every model (no OUT reference); record 5 only for model 0 (no IN reference
# when model 0 is the target).

EXAMPLE_PHI = np.array([
    [2.10, -0.40, 1.30, 0.20, 3.05, 0.90],
    [0.35, 1.75, 1.10, -0.85, 2.60, -1.20],
    [1.60, 2.20, -0.15, -0.30, 2.95, -0.70],
    [-0.25, 0.10, 1.45, 1.05, 3.40, -1.05],
    [1.85, -0.60, 0.05, 1.60, 2.75, -0.95],
    [0.50, 1.35, -0.45, 0.80, 3.15, -1.40],
    [2.40, 0.25, 1.90, 1.25, 2.50, -0.55],
    [-0.10, 1.95, 0.40, -0.20, 3.30, -0.80],
], dtype=np.float32)

EXAMPLE_KEEP = np.array([
    [1, 0, 1, 0, 1, 1],
    [0, 1, 1, 0, 1, 0],
    [1, 1, 0, 0, 1, 0],
    [0, 0, 1, 1, 1, 0],
    [1, 0, 0, 1, 1, 0],
    [0, 1, 0, 1, 1, 0],
    [1, 0, 1, 1, 1, 0],
    [0, 1, 0, 0, 1, 0],
], dtype=np.uint8)

EXAMPLE_SEED = 7


def run_example():
    phi = EXAMPLE_PHI.astype(np.float64)
    keep = EXAMPLE_KEEP.astype(bool)
    refs = list(range(1, 8))
    out = {
        "population_6_5_seed7": sample_population(6, 5, EXAMPLE_SEED).tolist(),
        "population_1000_10_seed12345": sample_population(1000, 10, 12345).tolist(),
    }
    for center in ("median", "mean"):
        for variance in ("per_record", "fixed"):
            options = dict(center=center, variance=variance)
            out[f"lira_online_{center}_{variance}"] = lira_online(phi, keep, 0, refs, **options)
            out[f"lira_offline_{center}_{variance}"] = lira_offline(phi, keep, 0, refs, **options)
    for gamma in (1.0, 1.2):
        out[f"rmia_online_gamma{gamma:g}"] = rmia_online(phi, keep, 0, refs, gamma=gamma,
                                                         seed=EXAMPLE_SEED)
    for a in (0.0, 0.3, 1.0):
        out[f"rmia_offline_a{a:g}"] = rmia_offline(phi, keep, 0, refs, a, seed=EXAMPLE_SEED)
    out["tune_a_first"] = tune_rmia_offline_a(phi, keep, refs, seed=EXAMPLE_SEED)
    out["tune_a_three"] = tune_rmia_offline_a(phi, keep, refs, seed=EXAMPLE_SEED,
                                              tuning_targets=3)
    out["loss"] = loss_attack(phi, 0)
    summaries = evaluate_attacks(phi, keep, targets=2, seed=EXAMPLE_SEED, fpr_grid_min=0.1,
                                 fpr_grid_points=3)
    for s in summaries:
        out[f"evaluate_{s['name']}"] = {k: s[k] for k in (
            "auc", "tpr_at_fpr_0_001", "tpr_at_fpr_0_01", "auc_sd", "tpr_grid_mean",
            "tpr_grid_sd", "rmia_offline_a")}
    for key, value in out.items():
        if isinstance(value, np.ndarray):
            value = value.tolist()
        print(key, json.dumps(value, default=float))


def attack_summary(scores, labels):
    """(AUC, TPR at FPR 1e-3, TPR at FPR 1e-2) of one target's scores, as evaluate_attacks."""
    fpr, tpr = roc_curve(scores, labels)
    return roc_auc(fpr, tpr), float(tpr_at_fpr(fpr, tpr, 1e-3)), float(tpr_at_fpr(fpr, tpr, 1e-2))


def run_bench(phi, keep, targets=10, center="median", variance="per_record", gamma=1.0,
              population=5000, seed=0):
    """Time each analysis stage on phi, keep [models, records]; print one JSON line per stage.

    record_stats covers every model. Each attack stage fits on references targets..models-1, as
    evaluate_attacks does, then scores targets 0..targets-1 and summarises each target's ROC.
    """
    models, records = phi.shape
    refs = np.arange(targets, models)
    shape = {"models": models, "records": records}

    def report(stage, seconds, **extra):
        print(json.dumps({"stage": stage, "seconds": seconds, **shape, **extra}), flush=True)

    # Import scipy before the clock starts, so that record_stats is timed without the import.
    import scipy.special  # noqa: F401
    import scipy.stats  # noqa: F401

    start = time.perf_counter()
    stats = record_stats(phi, keep)
    report("record_stats", time.perf_counter() - start,
           auc_binormal_mean=float(np.nanmean(stats["auc_binormal"])),
           auc_empirical_mean=float(np.nanmean(stats["auc_empirical"])))

    def lira_stage(score):
        fit = lira_fit(phi[refs], keep[refs], center, variance)
        return [attack_summary(score(phi[t], fit), keep[t]) for t in range(targets)]

    def rmia_stage():
        pop = population_for(records, population, seed)
        priors = rmia_priors(rmia_fit(phi[refs], keep[refs]), pop, "online")
        return [attack_summary(rmia_scores(phi[t], *priors, pop, gamma), keep[t])
                for t in range(targets)]

    stages = {
        "lira_online": lambda: lira_stage(lira_online_scores),
        "lira_offline": lambda: lira_stage(lira_offline_scores),
        "rmia_online": rmia_stage,
    }
    for name, stage in stages.items():
        start = time.perf_counter()
        summaries = np.asarray(stage())
        report(name, time.perf_counter() - start, targets=targets,
               auc_mean=float(summaries[:, 0].mean()),
               tpr_at_fpr_0_001_mean=float(summaries[:, 1].mean()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", action="store_true",
                        help="print the scores of the fixed 8 x 6 example and exit")
    parser.add_argument("--signals", help="signals.npy, float32 [models, records]")
    parser.add_argument("--membership", help="membership.npy, uint8 [models, records]")
    parser.add_argument("--targets", type=int, default=10, help="number of target models")
    parser.add_argument("--center", choices=("median", "mean"), default="median")
    parser.add_argument("--variance", choices=("per_record", "fixed"), default="per_record")
    parser.add_argument("--gamma", type=float, default=1.0)
    parser.add_argument("--population", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0, help="seed of the RMIA population sample")
    parser.add_argument("--bench", action="store_true",
                        help="time record statistics, LiRA online and offline and RMIA online; "
                             "print one JSON line per stage")
    args = parser.parse_args(argv)

    if args.example:
        run_example()
        return 0
    if not args.signals or not args.membership:
        parser.error("pass --signals and --membership, or --example")
    phi = np.load(args.signals).astype(np.float64)
    keep = np.load(args.membership).astype(bool)
    if phi.shape != keep.shape or phi.ndim != 2:
        parser.error(f"signals {phi.shape} and membership {keep.shape} must be the same 2-D shape")
    if args.bench:
        run_bench(phi, keep, args.targets, args.center, args.variance, args.gamma,
                  args.population, args.seed)
        return 0
    start = time.perf_counter()
    summaries = evaluate_attacks(phi, keep, args.targets, args.center, args.variance,
                                 gamma=args.gamma, population=args.population, seed=args.seed)
    elapsed = time.perf_counter() - start
    # Strict JSON has no NaN: write null for undefined values (SDs of one target, a of non-RMIA).
    def strict(value):
        if isinstance(value, float) and np.isnan(value):
            return None
        if isinstance(value, list):
            return [strict(v) for v in value]
        return value
    summaries = [{key: strict(value) for key, value in s.items()} for s in summaries]
    json.dump({"seconds": elapsed, "attacks": summaries}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
