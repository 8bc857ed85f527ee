"""The sample statistics against values computed another way: Newcombe's published Wilson
intervals, and the interval's ends found as roots of the quadratic that defines them."""

from __future__ import annotations

import math
import random

import pytest

from portal.blueprints.petitions import stats


@pytest.mark.parametrize(("x", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score, no correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_published_values(x, n, low, high):
    got = stats.wilson(x, n)
    assert got[0] == pytest.approx(low, abs=1e-4)
    assert got[1] == pytest.approx(high, abs=1e-4)


def test_finite_population_interval_solves_its_quadratic():
    # The Wilson bounds are the p with (p̂ - p)^2 = z^2 p (1 - p) / n_eff, n_eff = n / fpc.
    # "sample 49 of 244, 25 invalid": 24 valid seen.
    population, sample, invalid = 244, 49, 25
    fpc = (population - sample) / (population - 1)
    n_eff = sample / fpc
    p_hat = (sample - invalid) / sample
    a = 1 + stats.Z95 ** 2 / n_eff
    b = -(2 * p_hat + stats.Z95 ** 2 / n_eff)
    root = math.sqrt(b * b - 4 * a * p_hat * p_hat)
    low, high = (-b - root) / (2 * a), (-b + root) / (2 * a)

    result = stats.estimate(population, sample, invalid, threshold=100)
    assert result.share_low == pytest.approx(low, abs=1e-12)
    assert result.share_high == pytest.approx(high, abs=1e-12)
    assert result.estimated_valid == round(244 * 24 / 49) == 120
    assert result.valid_low == math.floor(244 * low) and result.valid_high == math.ceil(244 * high)
    # By hand: fpc = 195/243 = 0.8025, n_eff = 61.06, interval 0.36878 .. 0.61202, that is
    # 89.98 .. 149.33 of 244 signatures: at least 89, at most 150 valid.
    assert low == pytest.approx(0.36878, abs=1e-5) and high == pytest.approx(0.61202, abs=1e-5)
    assert (result.valid_low, result.valid_high) == (89, 150)
    assert result.reached and not result.reached_with_confidence
    assert stats.estimate(population, sample, invalid, threshold=89).reached_with_confidence
    assert not stats.estimate(population, sample, invalid, threshold=90).reached_with_confidence


def test_correction_narrows_and_a_full_count_is_exact():
    wide = stats.wilson(40, 50)
    narrow = stats.wilson(40, 50, fpc=stats.finite_population_correction(60, 50))
    assert narrow[0] > wide[0] and narrow[1] < wide[1]
    full = stats.estimate(244, 244, 25, threshold=219)
    assert (full.valid_low, full.estimated_valid, full.valid_high) == (219, 219, 219)
    assert full.reached_with_confidence
    assert not stats.estimate(244, 244, 26, threshold=219).reached


def test_counts_stay_within_what_is_known():
    # No invalid signature seen in a small sample: the upper end cannot pass the population,
    # and the lower end never drops below the valid signatures actually checked.
    result = stats.estimate(1000, 10, 0)
    assert result.valid_high == 1000 and result.valid_low >= 10
    result = stats.estimate(1000, 10, 10)
    assert result.valid_low == 0 and result.valid_high <= 990


@pytest.mark.parametrize(("population", "sample", "invalid"),
                         [(0, 0, 0), (10, 11, 0), (10, 5, 6), (10, 0, 0), (10, 5, -1)])
def test_impossible_figures_are_refused(population, sample, invalid):
    with pytest.raises(ValueError):
        stats.estimate(population, sample, invalid)


def test_draw_is_reproducible_and_independent_of_order():
    ids = list(range(1, 245))
    shuffled = ids[:]
    random.Random(1).shuffle(shuffled)
    first = stats.draw(ids, 49, seed=20260302)
    assert first == stats.draw(shuffled, 49, seed=20260302)
    assert first == sorted(random.Random(20260302).sample(ids, 49))
    assert len(set(first)) == 49 and first != stats.draw(ids, 49, seed=20260303)
    assert stats.draw([3, 1], 5, seed=1) == [1, 3]


def test_sample_size():
    assert stats.sample_size(244, 0.2) == 49
    assert stats.sample_size(5, 0.01) == 1
    assert stats.sample_size(0, 0.2) == 0
    assert stats.sample_size(10, 1.0) == 10
