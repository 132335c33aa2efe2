//! Distributions of durations, values and intervals, as the scenario file states them.
//!
//! A `Dist` has no unit of its own: the field that holds it says the unit
//! (`patience_seconds`, `handle_minutes`, `cycle_days`, `value`).

use rand::RngExt;
use rand_distr::{Distribution, Exp1, StandardNormal};

use crate::engine::Stream;

/// A validated distribution of a non-negative quantity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Always `value`.
    Fixed(f64),
    /// Exponential with this mean.
    Exponential {
        /// The mean.
        mean: f64,
    },
    /// Lognormal: `exp` of a normal (built from a mean or median and a coefficient of
    /// variation, see [`Dist::lognormal_mean_cv`]).
    LogNormal {
        /// Mean of the underlying normal.
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Gamma (built from a mean and a coefficient of variation, see
    /// [`Dist::gamma_mean_cv`]).
    Gamma {
        /// The shape parameter.
        shape: f64,
        /// The scale parameter.
        scale: f64,
    },
}

impl Dist {
    /// Lognormal from its mean and coefficient of variation.
    pub fn lognormal_mean_cv(mean: f64, cv: f64) -> Dist {
        let sigma2 = (1.0 + cv * cv).ln();
        Dist::LogNormal {
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    /// Lognormal from its median and coefficient of variation.
    pub fn lognormal_median_cv(median: f64, cv: f64) -> Dist {
        Dist::LogNormal {
            mu: median.ln(),
            sigma: (1.0 + cv * cv).ln().sqrt(),
        }
    }

    /// Gamma from its mean and coefficient of variation.
    pub fn gamma_mean_cv(mean: f64, cv: f64) -> Dist {
        let shape = 1.0 / (cv * cv);
        Dist::Gamma {
            shape,
            scale: mean / shape,
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Exponential { mean } => mean,
            Dist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Gamma { shape, scale } => shape * scale,
        }
    }

    /// One draw.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> f64 {
        // The two shapes of the per-lead hot path inline; the rest take a call.
        match *self {
            Dist::Fixed(v) => v,
            Dist::Exponential { mean } => mean * rng.sample::<f64, _>(Exp1),
            _ => self.sample_other(rng),
        }
    }

    #[inline(never)]
    fn sample_other(&self, rng: &mut Stream) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Exponential { mean } => mean * rng.sample::<f64, _>(Exp1),
            Dist::LogNormal { mu, sigma } => {
                (mu + sigma * rng.sample::<f64, _>(StandardNormal)).exp()
            }
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Gamma { shape, scale } => {
                // Validated parameters: construction cannot fail.
                rand_distr::Gamma::new(shape, scale)
                    .map(|g| g.sample(rng))
                    .unwrap_or(shape * scale)
            }
        }
    }

    /// The cumulative distribution function at `x` (for goodness-of-fit tests).
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(v) => f64::from(u8::from(x >= v)),
            Dist::Exponential { mean } => (1.0 - (-x / mean).exp()).max(0.0),
            Dist::LogNormal { mu, sigma } if x > 0.0 => {
                0.5 * erfc(-(x.ln() - mu) / (sigma * std::f64::consts::SQRT_2))
            }
            Dist::LogNormal { .. } => 0.0,
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Gamma { .. } => f64::NAN,
        }
    }
}

/// The complementary error function (Numerical Recipes' `erfcc`, |error| < 1.2e-7).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    /// Kolmogorov-Smirnov statistic of `n` draws against the exact CDF.
    fn ks(d: Dist, n: usize) -> f64 {
        let mut rng = stream(11, &[1]);
        let mut xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = d.cdf(x);
                (f - i as f64 / n as f64).max((i + 1) as f64 / n as f64 - f)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn samplers_match_their_cdfs() {
        // KS critical value at alpha = 0.001 is 1.95 / sqrt(n); with n = 20,000: 0.0138.
        let crit = 1.95 / (20_000f64).sqrt();
        for d in [
            Dist::Exponential { mean: 60.0 },
            Dist::lognormal_mean_cv(6.0, 1.0),
            Dist::lognormal_median_cv(14.0, 0.8),
            Dist::Uniform {
                min: 14.0,
                max: 30.0,
            },
        ] {
            let stat = ks(d, 20_000);
            assert!(stat < crit, "{d:?}: KS {stat} >= {crit}");
        }
    }

    #[test]
    fn means() {
        assert!((Dist::lognormal_mean_cv(6.0, 1.0).mean() - 6.0).abs() < 1e-12);
        assert!((Dist::gamma_mean_cv(5.0, 0.5).mean() - 5.0).abs() < 1e-12);
        let mut rng = stream(5, &[5]);
        let g = Dist::gamma_mean_cv(5.0, 0.5);
        let n = 50_000;
        let m: f64 = (0..n).map(|_| g.sample(&mut rng)).sum::<f64>() / n as f64;
        // sd of the mean: 2.5 / sqrt(n) = 0.011; 5 sd = 0.056.
        assert!((m - 5.0).abs() < 0.056, "gamma mean {m}");
    }

    #[test]
    fn erfc_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 2e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 2e-7);
    }
}
