// Upper bounds on the membership-inference AUC that any attack can reach against a differentially
// private training run.
//
// Sources: Dong, Roth, Su 2019, "Gaussian Differential Privacy" (trade-off functions, mu-GDP and
// its central limit theorem); Bu, Dong, Long, Su 2020, "Deep Learning with Gaussian Differential
// Privacy" (mu of Poisson-subsampled DP-SGD).
#pragma once

#include "privacy/rdp_accountant.h"

#include <cstdint>

namespace privaudit::privacy {

// Returns the trade-off function of (epsilon, delta)-DP at type I error a in [0, 1]: the smallest
// type II error of any membership test,
// beta(a) = max(0, 1 - delta - e^epsilon a, e^-epsilon (1 - delta - a)).
// epsilon = +infinity gives max(0, 1 - delta - [a > 0]), so beta(0) = 1 - delta.
double eps_delta_tradeoff(double a, double epsilon, double delta);

// Returns the maximum AUC of a membership attack against an (epsilon, delta)-DP mechanism: the
// integral of 1 - beta(a) over a in [0, 1], in closed form 1 - (1 - delta)^2 / (1 + e^epsilon).
// The result lies in [0.5, 1]: 0.5 at epsilon = 0 and delta = 0, and 1 at epsilon = +infinity or
// delta = 1. Throws UsageError for epsilon < 0 or NaN, or delta outside [0, 1].
double dp_auc_bound(double epsilon, double delta);

// Returns the same integral as dp_auc_bound() by the composite midpoint rule on `intervals`
// equal intervals. The rule is exact where beta is linear, so only the two intervals that contain
// a kink of beta contribute error, at most 2 / intervals. For cross-checks.
double dp_auc_bound_quadrature(double epsilon, double delta, int intervals = 1'000'000);

// Returns mu of the mu-GDP central-limit approximation of `steps` compositions of the
// Poisson-subsampled Gaussian mechanism: mu = q sqrt(steps (e^(1 / sigma^2) - 1)) (Bu et al. 2020,
// Section 3). The central limit theorem behind it takes steps to infinity with q sqrt(steps)
// fixed, so for a finite run it is an approximation, not a guaranteed upper bound. +infinity when e^(1 / sigma^2) overflows. Throws
// UsageError for q outside (0, 1], sigma <= 0 or steps <= 0.
double gdp_mu(double q, double sigma, std::int64_t steps);

// Returns delta(epsilon) of a mechanism with the given RDP curve: the smallest delta over the
// orders by the improved conversion (Canonne, Kamath, Steinke 2020), delta = exp((alpha - 1)(rdp -
// epsilon)) (1 - 1/alpha)^(alpha - 1) / alpha, capped at 1.
double rdp_delta(const RdpCurve& curve, double epsilon);

// Returns the maximum membership AUC allowed by the whole privacy profile epsilon -> delta(epsilon)
// of an RDP curve: beta(a) is the largest of the (epsilon, delta(epsilon)) trade-off lines over a
// grid of `epsilon_points` epsilons in [0, epsilon_max], and the bound is the integral of 1 - beta
// over `a_points` trapezoids. A finite grid only loosens the bound, so the result stays valid; it
// is at most dp_auc_bound() of any single (epsilon, delta) pair the accountant reports, up to the
// grid spacing.
double rdp_profile_auc_bound(const RdpCurve& curve, double epsilon_max = 20.0, std::size_t epsilon_points = 400,
                             std::size_t a_points = 20000);

// Returns the maximum membership AUC against a mu-GDP mechanism, Phi(mu / sqrt 2): the AUC of the
// trade-off function G_mu(a) = Phi(Phi^-1(1 - a) - mu). 0.5 at mu = 0 and 1 at mu = +infinity.
// Throws UsageError for mu < 0 or NaN.
double gdp_auc_bound(double mu);

}  // namespace privaudit::privacy
