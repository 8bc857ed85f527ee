"""What a verification sample says about all the signatures (pure arithmetic, no database).

The clerk checks a random sample of n of the N signatures against the voter list and finds k
invalid. The share of valid signatures is estimated by the sample's share, with the Wilson
score interval (95%: z = 1.96) for its uncertainty; the sample is drawn without replacement
from a finite list, so the variance is scaled by the finite population correction
(N - n) / (N - 1), which is the same as widening the interval for an effective sample size
n / fpc. A sample of every signature (n = N) has no uncertainty left. The counts are clipped
to what is known for certain: at least the n - k valid signatures seen, at most N - k.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

#: Two-sided 95%.
Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95, fpc: float = 1.0) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``successes / n``; ``fpc`` (0..1) scales the
    variance for sampling without replacement (1: an infinite population)."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError("need 0 <= successes <= n and n > 0")
    p = successes / n
    if fpc <= 0:
        return p, p
    n_eff = n / fpc
    z2 = z * z
    denominator = 1 + z2 / n_eff
    centre = (p + z2 / (2 * n_eff)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff))
    return max(0.0, centre - half), min(1.0, centre + half)


def finite_population_correction(population: int, sample: int) -> float:
    """(N - n) / (N - 1): 1 for a tiny sample of a large list, 0 when every row is sampled."""
    if population <= 1:
        return 0.0
    return (population - sample) / (population - 1)


@dataclass(frozen=True)
class SampleEstimate:
    population: int
    sample: int
    invalid: int
    #: The sample's share of valid signatures and its 95% interval.
    valid_share: float
    share_low: float
    share_high: float
    #: Estimated valid signatures among all of them, and the 95% interval in signatures.
    estimated_valid: int
    valid_low: int
    valid_high: int
    threshold: int | None
    #: The estimate reaches the threshold; the interval's lower end does (95% confidence).
    reached: bool
    reached_with_confidence: bool

    @property
    def after_verification(self) -> int:
        """The count once the invalid signatures found are taken off (what staff report)."""
        return self.population - self.invalid

    @property
    def verdict(self) -> str | None:
        """Is the threshold reached with 95% confidence: "yes" (the interval's lower end
        reaches it), "no" (its upper end stays below), "unclear" (the interval holds the
        threshold); None without a threshold."""
        if self.threshold is None:
            return None
        if self.reached_with_confidence:
            return "yes"
        return "no" if self.valid_high < self.threshold else "unclear"


def estimate(population: int, sample: int, invalid: int, threshold: int | None = None,
             z: float = Z95) -> SampleEstimate:
    """From ``invalid`` invalid signatures in a sample of ``sample`` of ``population``: the
    estimated valid count, its interval, and whether ``threshold`` is reached (with 95%
    confidence when the interval's lower end reaches it). Raises ValueError on impossible
    figures."""
    if not 0 < sample <= population or not 0 <= invalid <= sample:
        raise ValueError("need 0 < sample <= population and 0 <= invalid <= sample")
    valid = sample - invalid
    low, high = wilson(valid, sample, z, finite_population_correction(population, sample))
    estimated = round(population * valid / sample)
    valid_low = max(valid, math.floor(population * low + 1e-9))
    valid_high = min(population - invalid, math.ceil(population * high - 1e-9))
    return SampleEstimate(
        population=population, sample=sample, invalid=invalid, valid_share=valid / sample,
        share_low=low, share_high=high, estimated_valid=estimated, valid_low=valid_low,
        valid_high=valid_high, threshold=threshold,
        reached=threshold is not None and estimated >= threshold,
        reached_with_confidence=threshold is not None and valid_low >= threshold,
    )


def sample_size(population: int, share: float) -> int:
    """``share`` (0..1] of ``population``, rounded up, at least one (none of nothing)."""
    if population <= 0:
        return 0
    return min(population, max(1, math.ceil(population * share - 1e-9)))


def draw(ids: Iterable[int], size: int, seed: int) -> list[int]:
    """A reproducible random sample: ``random.Random(seed).sample`` over the ids sorted, the
    result sorted. The same ids, size and seed always give the same sample."""
    ordered = sorted(ids)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))
