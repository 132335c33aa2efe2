//! Streaming, mergeable statistics across replications: moments (Welford, merged by
//! Chan's formula), co-moments of paired values, and a quantile sketch. Memory does not
//! grow with the number of replications; partial results from shards merge into the
//! statistics of one run (the sketch exactly, the moments to rounding).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Count, mean and sum of squared deviations of the finite values seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Values added.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean (Welford's M2).
    pub m2: f64,
}

impl Moments {
    /// Adds a value; a non-finite one (an undefined ratio) is skipped.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Adds every value another accumulator saw (Chan et al.'s pairwise update).
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        let (na, nb) = (self.n as f64, o.n as f64);
        self.mean += d * nb / n as f64;
        self.m2 += o.m2 + d * d * na * nb / n as f64;
        self.n = n;
    }

    /// Sample variance (n - 1 in the denominator); NaN below two values.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0)
        }
    }

    /// Half-width of the 95% confidence interval of the mean (Student t).
    pub fn half_width(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        t975(self.n - 1) * (self.variance() / self.n as f64).sqrt()
    }
}

/// Moments of paired values `(a, b)` from the same replication, with their co-moment:
/// enough for the paired difference `a - k b` and the ratio of means, with CIs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoMoments {
    /// Pairs added.
    pub n: u64,
    /// Mean of the first values.
    pub mean_a: f64,
    /// Mean of the second values.
    pub mean_b: f64,
    /// Sum of squared deviations of the first values.
    pub m2_a: f64,
    /// Sum of squared deviations of the second values.
    pub m2_b: f64,
    /// Sum of the products of the pairs' deviations (the co-moment).
    pub c_ab: f64,
    /// Moments of `a - b` themselves: the paired difference without the cancellation of
    /// `var a + var b - 2 cov` when the two are strongly correlated.
    pub diff: Moments,
}

impl CoMoments {
    /// Adds a pair; a pair with a non-finite member is skipped.
    pub fn add(&mut self, a: f64, b: f64) {
        if !a.is_finite() || !b.is_finite() {
            return;
        }
        self.n += 1;
        let n = self.n as f64;
        let da = a - self.mean_a;
        let db = b - self.mean_b;
        self.mean_a += da / n;
        self.mean_b += db / n;
        self.m2_a += da * (a - self.mean_a);
        self.m2_b += db * (b - self.mean_b);
        self.c_ab += da * (b - self.mean_b);
        self.diff.add(a - b);
    }

    /// Adds every pair another accumulator saw.
    pub fn merge(&mut self, o: &CoMoments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = (self.n + o.n) as f64;
        let (na, nb) = (self.n as f64, o.n as f64);
        let da = o.mean_a - self.mean_a;
        let db = o.mean_b - self.mean_b;
        self.mean_a += da * nb / n;
        self.mean_b += db * nb / n;
        self.m2_a += o.m2_a + da * da * na * nb / n;
        self.m2_b += o.m2_b + db * db * na * nb / n;
        self.c_ab += o.c_ab + da * db * na * nb / n;
        self.n += o.n;
        self.diff.merge(&o.diff);
    }

    fn var(&self, m2: f64) -> f64 {
        (m2 / (self.n - 1) as f64).max(0.0)
    }

    /// The paired difference `a - k b`: mean and 95% half-width, from the variance of
    /// the per-replication differences (`var a + k² var b - 2k cov`).
    pub fn difference(&self, k: f64) -> Interval {
        let mean = self.mean_a - k * self.mean_b;
        if self.n < 2 {
            return Interval::point(mean, self.n);
        }
        if k == 1.0 {
            return Interval::new(self.diff.mean, self.diff.half_width(), self.n);
        }
        let v = (self.var(self.m2_a) + k * k * self.var(self.m2_b)
            - 2.0 * k * self.c_ab / (self.n - 1) as f64)
            .max(0.0);
        Interval::new(mean, self.t() * (v / self.n as f64).sqrt(), self.n)
    }

    /// The half-width the difference `a - b` would have if the two were independent
    /// samples of the same size (no common random numbers).
    pub fn unpaired_half_width(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let v = self.var(self.m2_a) + self.var(self.m2_b);
        self.t() * (v / self.n as f64).sqrt()
    }

    /// The ratio of means `mean a / mean b`, with a 95% interval by the delta method on
    /// the paired values.
    pub fn ratio(&self) -> Interval {
        let r = self.mean_a / self.mean_b;
        if self.n < 2 || self.mean_b == 0.0 {
            return Interval::point(r, self.n);
        }
        let v = (self.var(self.m2_a) + r * r * self.var(self.m2_b)
            - 2.0 * r * self.c_ab / (self.n - 1) as f64)
            .max(0.0);
        let se = (v / self.n as f64).sqrt() / self.mean_b.abs();
        Interval::new(r, self.t() * se, self.n)
    }

    /// Pearson correlation of the pairs.
    pub fn correlation(&self) -> f64 {
        let d = (self.m2_a * self.m2_b).sqrt();
        if d > 0.0 {
            self.c_ab / d
        } else {
            f64::NAN
        }
    }

    fn t(&self) -> f64 {
        t975(self.n - 1)
    }
}

/// An estimate with its 95% confidence half-width.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// The point estimate.
    pub estimate: f64,
    /// Half-width of the 95% interval.
    pub half_width: f64,
    /// Replications behind it.
    pub n: u64,
}

impl Interval {
    fn new(estimate: f64, half_width: f64, n: u64) -> Interval {
        Interval {
            estimate,
            half_width,
            n,
        }
    }

    fn point(estimate: f64, n: u64) -> Interval {
        Interval::new(estimate, f64::NAN, n)
    }

    /// The interval's lower end.
    pub fn low(&self) -> f64 {
        self.estimate - self.half_width
    }

    /// The interval's upper end.
    pub fn high(&self) -> f64 {
        self.estimate + self.half_width
    }
}

/// Relative accuracy of the sketch's bins: a quantile is reported within 0.5% of a value
/// of the right rank, and exactly when its bin holds a single distinct value.
pub const SKETCH_ACCURACY: f64 = 0.005;

/// One bin of the sketch: how many values, and the smallest and largest.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Values added.
    pub count: u64,
    /// The smallest value added.
    pub min: f64,
    /// The largest value added.
    pub max: f64,
}

/// A quantile sketch with logarithmic bins (as DDSketch): positive and negative values
/// in bins of relative width `2 * SKETCH_ACCURACY`, zeros counted apart. Its size grows
/// with the spread of the values, not their number, and merging is exact. Quantiles of
/// whole numbers (counts) are whole numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    /// Bins keyed by sign and log-magnitude: key `k` > 0 holds positive values,
    /// `k` < 0 negative ones, 0 holds zeros.
    bins: BTreeMap<i32, Bin>,
    /// Some value added was not a whole number (quantiles of counts are rounded).
    #[serde(default)]
    fractional: bool,
}

fn gamma_ln() -> f64 {
    ((1.0 + SKETCH_ACCURACY) / (1.0 - SKETCH_ACCURACY)).ln()
}

impl Sketch {
    fn key(x: f64) -> i32 {
        if x == 0.0 {
            return 0;
        }
        // Offset so that every magnitude of a finite f64 maps to a key of its sign.
        let k = (x.abs().ln() / gamma_ln()).ceil() as i32 + 200_000;
        if x > 0.0 {
            k.max(1)
        } else {
            -(k.max(1))
        }
    }

    /// Adds a value; non-finite values are skipped.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.fractional |= x.fract() != 0.0;
        let b = self.bins.entry(Self::key(x)).or_insert(Bin {
            count: 0,
            min: x,
            max: x,
        });
        b.count += 1;
        b.min = b.min.min(x);
        b.max = b.max.max(x);
    }

    /// Adds every value of another sketch.
    pub fn merge(&mut self, o: &Sketch) {
        self.fractional |= o.fractional;
        for (&k, ob) in &o.bins {
            match self.bins.get_mut(&k) {
                Some(b) => {
                    b.count += ob.count;
                    b.min = b.min.min(ob.min);
                    b.max = b.max.max(ob.max);
                }
                None => {
                    self.bins.insert(k, *ob);
                }
            }
        }
    }

    /// Values added.
    pub fn count(&self) -> u64 {
        self.bins.values().map(|b| b.count).sum()
    }

    /// Values added, or `None` when the bins' counts overflow (a damaged file).
    pub fn count_checked(&self) -> Option<u64> {
        self.bins
            .values()
            .try_fold(0u64, |s, b| s.checked_add(b.count))
    }

    /// Number of bins in use (the sketch's size).
    pub fn bins(&self) -> usize {
        self.bins.len()
    }

    /// The `q`-quantile by nearest rank: the value of rank `ceil(q n)`, to within the
    /// sketch's accuracy; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        // Key order is value order: negative keys grow more negative with magnitude.
        for (&k, b) in &self.bins {
            seen += b.count;
            if seen >= rank {
                if b.min == b.max || k == 0 {
                    return b.min;
                }
                let mag = ((k.abs() - 200_000) as f64 * gamma_ln()).exp();
                // The bin covers (mag / gamma, mag]; its middle in relative terms:
                let mid = mag * 2.0 / (1.0 + (gamma_ln()).exp());
                let v = if k > 0 { mid } else { -mid };
                let v = if self.fractional { v } else { v.round() };
                return v.clamp(b.min, b.max);
            }
        }
        f64::NAN
    }
}

/// Mean, spread, confidence interval and percentiles of a metric across replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Replications.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Half-width of the 95% confidence interval of the mean (Student t).
    pub ci95_half: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Moments and sketch of one metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acc {
    /// Mean and spread.
    pub moments: Moments,
    /// Percentiles.
    pub sketch: Sketch,
}

impl Acc {
    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        self.moments.add(x);
        self.sketch.add(x);
    }

    /// Adds every value of `o`.
    pub fn merge(&mut self, o: &Acc) {
        self.moments.merge(&o.moments);
        self.sketch.merge(&o.sketch);
    }

    /// The statistics of the values added.
    pub fn summary(&self) -> Summary {
        let m = &self.moments;
        Summary {
            n: m.n,
            mean: if m.n > 0 { m.mean } else { f64::NAN },
            sd: m.variance().sqrt(),
            ci95_half: m.half_width(),
            p5: self.sketch.quantile(0.05),
            p50: self.sketch.quantile(0.5),
            p95: self.sketch.quantile(0.95),
        }
    }
}

/// The 0.975-quantile of Student's t with `df` degrees of freedom (the factor of a 95%
/// interval), remembered for the last `df` asked on this thread. The bisection costs tens
/// of microseconds at large `df`, and a result's thousands of intervals (every metric of
/// every month of every structure) share one replication count: without the memory,
/// summing up a comparison took 0.1-0.2 s, spent while the other cores waited.
fn t975(df: u64) -> f64 {
    use std::cell::Cell;
    thread_local!(static LAST: Cell<Option<(u64, f64)>> = const { Cell::new(None) });
    LAST.with(|last| match last.get() {
        Some((d, q)) if d == df => q,
        _ => {
            let q = t_quantile(0.975, df as f64);
            last.set(Some((df, q)));
            q
        }
    })
}

/// The `p`-quantile of Student's t distribution with `df` degrees of freedom, by
/// bisection on its CDF (the regularised incomplete beta function); accurate to about
/// 1e-12 relative.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    // Bracket, then bisect: the CDF is monotone.
    let (mut lo, mut hi) = (0.0, 1.0);
    while t_cdf(hi, df) < p {
        lo = hi;
        hi *= 2.0;
        if hi > 1e12 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// The CDF of Student's t at `t` >= 0.
fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    1.0 - 0.5 * beta_inc(df / 2.0, 0.5, x)
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction, Lentz).
fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    // One step of the modified Lentz recurrence: returns the factor applied to `h`.
    let mut step = |aa: f64| {
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        d * c
    };
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95% critical values from standard tables.
        for (df, t) in [
            (1.0, 12.706_204_736),
            (2.0, 4.302_652_730),
            (5.0, 2.570_581_836),
            (10.0, 2.228_138_852),
            (30.0, 2.042_272_456),
            (100.0, 1.983_971_519),
            (1e6, 1.959_966_4),
        ] {
            let q = t_quantile(0.975, df);
            assert!((q - t).abs() < 1e-6 * t, "df {df}: {q} vs {t}");
        }
        assert!((t_quantile(0.025, 10.0) + 2.228_138_852).abs() < 1e-6);
    }

    #[test]
    fn remembered_t_quantile_follows_the_degrees_of_freedom() {
        // Asked in turn for other counts, and for one again: never a stale value.
        for df in [10, 10, 30, 10, 1, 1, 100, 30] {
            assert_eq!(t975(df), t_quantile(0.975, df as f64), "df {df}");
        }
    }

    #[test]
    fn moments_merge_like_one_pass() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 * 0.37 - 50.0)
            .collect();
        let mut all = Moments::default();
        xs.iter().for_each(|&x| all.add(x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs[..313].iter().for_each(|&x| a.add(x));
        xs[313..].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!(a.n, all.n);
        assert!((a.mean - all.mean).abs() <= 1e-12 * all.mean.abs());
        assert!((a.m2 - all.m2).abs() <= 1e-12 * all.m2);
        let mean = xs.iter().sum::<f64>() / 1000.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 999.0;
        assert!((all.variance() - var).abs() <= 1e-10 * var);
        // NaN (an undefined ratio) is skipped, not poisoned into the mean.
        all.add(f64::NAN);
        assert_eq!(all.n, 1000);
    }

    #[test]
    fn paired_difference_uses_the_covariance() {
        let mut c = CoMoments::default();
        for i in 0..200 {
            let noise = ((i * 7919) % 101) as f64;
            c.add(100.0 + noise, 90.0 + noise);
        }
        let d = c.difference(1.0);
        assert!((d.estimate - 10.0).abs() < 1e-9);
        assert!(
            d.half_width < 1e-6,
            "identical noise cancels: {}",
            d.half_width
        );
        assert!(c.unpaired_half_width() > 1.0);
        let r = c.ratio();
        assert!((r.estimate - c.mean_a / c.mean_b).abs() < 1e-12);
        assert!((c.correlation() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn sketch_quantiles_are_within_accuracy_and_merge_exactly() {
        let xs: Vec<f64> = (1..=10_000).map(|i| f64::from(i) * 1.5 - 3000.0).collect();
        let mut s = Sketch::default();
        xs.iter().for_each(|&x| s.add(x));
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.05, 0.5, 0.95] {
            let exact = sorted[((q * 10_000.0_f64).ceil() as usize) - 1];
            let got = s.quantile(q);
            assert!(
                (got - exact).abs() <= 2.0 * SKETCH_ACCURACY * exact.abs() + 1e-9,
                "q {q}: {got} vs {exact}"
            );
        }
        let (mut a, mut b) = (Sketch::default(), Sketch::default());
        xs[..4000].iter().for_each(|&x| a.add(x));
        xs[4000..].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!(a, s);
        // Integers that fall one to a bin come back exactly.
        let mut ints = Sketch::default();
        [3.0, 7.0, 7.0, 9.0, 0.0].iter().for_each(|&x| ints.add(x));
        assert_eq!(ints.quantile(0.5), 7.0);
        assert_eq!(ints.quantile(0.0), 0.0);
        assert_eq!(ints.quantile(1.0), 9.0);
    }
}
