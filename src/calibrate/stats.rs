//! The estimators of a calibration, each on aggregates a streaming pass can keep
//! (counts, sums and fixed histograms), never on the rows themselves: shares with
//! Wilson intervals, Poisson counts, the censored exponential, Kaplan-Meier, the
//! lognormal (plain and censored) and its Kolmogorov-Smirnov distance.

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95% interval and the number of records behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Lower end of the 95% interval.
    pub lo: f64,
    /// Upper end of the 95% interval.
    pub hi: f64,
    /// Records behind it.
    pub n: u64,
}

impl Estimate {
    /// Whether `x` lies in the interval.
    pub fn covers(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// The estimate and its interval multiplied by `k` (> 0).
    pub fn scaled(self, k: f64) -> Estimate {
        Estimate {
            value: self.value * k,
            lo: self.lo * k,
            hi: self.hi * k,
            n: self.n,
        }
    }
}

/// The standard normal distribution function (Abramowitz and Stegun 7.1.26 through
/// erfc, absolute error under 1.5e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-z * z).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The chi-square quantile at probability `p` (0.025 or 0.975 here) with `df` degrees
/// of freedom, by Wilson and Hilferty's cube-root approximation (relative error under
/// 1% from df = 2 on, far less for the counts a calibration rests on).
pub fn chi2_quantile(p: f64, df: f64) -> f64 {
    let z = if p < 0.5 { -Z95 } else { Z95 };
    debug_assert!((p - 0.025).abs() < 1e-12 || (p - 0.975).abs() < 1e-12);
    let k = 2.0 / (9.0 * df);
    (df * (1.0 - k + z * k.sqrt()).powi(3)).max(0.0)
}

/// The chance that a chi-square variable with `df` degrees of freedom exceeds `x`
/// (Wilson-Hilferty).
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let k = 2.0 / (9.0 * df);
    1.0 - normal_cdf(((x / df).cbrt() - (1.0 - k)) / k.sqrt())
}

/// The share `k / n` with its Wilson score interval.
pub fn share(k: u64, n: u64) -> Estimate {
    if n == 0 {
        return Estimate {
            value: f64::NAN,
            lo: 0.0,
            hi: 1.0,
            n,
        };
    }
    let (kf, nf) = (k as f64, n as f64);
    let p = kf / nf;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z95 / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Estimate {
        value: p,
        lo: (centre - half).max(0.0),
        hi: (centre + half).min(1.0),
        n,
    }
}

/// A Poisson count `k` with its interval (the chi-square form of Garwood's exact
/// interval).
pub fn poisson(k: u64) -> Estimate {
    let kf = k as f64;
    Estimate {
        value: kf,
        lo: if k == 0 {
            0.0
        } else {
            chi2_quantile(0.025, 2.0 * kf) / 2.0
        },
        hi: chi2_quantile(0.975, 2.0 * kf + 2.0) / 2.0,
        n: k,
    }
}

/// The mean of an exponential time observed with right censoring: `events` times seen
/// to end and `exposure` the sum of all times, ended or censored. The estimate is the
/// maximum-likelihood `exposure / events`; the interval treats `2 exposure / mean` as
/// chi-square with `2 events` degrees of freedom.
pub fn censored_exponential_mean(events: u64, exposure: f64) -> Estimate {
    let d = events as f64;
    Estimate {
        value: exposure / d,
        lo: 2.0 * exposure / chi2_quantile(0.975, 2.0 * d),
        hi: 2.0 * exposure / chi2_quantile(0.025, 2.0 * d),
        n: events,
    }
}

/// A histogram on fixed bins of `ln x`: what the lognormal fits, the goodness-of-fit
/// figure and the charts need, in memory that does not grow with the rows.
#[derive(Clone, Debug)]
pub struct LogHistogram {
    lo: f64,
    width: f64,
    /// Counts per bin; the first and last also hold what falls outside.
    pub bins: Vec<u64>,
    /// Values seen.
    pub n: u64,
    sum: f64,
    sum2: f64,
}

impl LogHistogram {
    /// Bins of `ln x` from `ln min` to `ln max`, `per_e` of them per unit of `ln x`.
    pub fn new(min: f64, max: f64, per_e: usize) -> LogHistogram {
        let (lo, hi) = (min.ln(), max.ln());
        let count = ((hi - lo) * per_e as f64).ceil() as usize;
        LogHistogram {
            lo,
            width: 1.0 / per_e as f64,
            bins: vec![0; count.max(1)],
            n: 0,
            sum: 0.0,
            sum2: 0.0,
        }
    }

    /// Adds a value (> 0; others are the caller's bad rows).
    pub fn add(&mut self, x: f64) {
        let y = x.ln();
        self.n += 1;
        self.sum += y;
        self.sum2 += y * y;
        let i = self.bin(x);
        self.bins[i] += 1;
    }

    /// The bin that holds `x`.
    pub fn bin(&self, x: f64) -> usize {
        let i = ((x.ln() - self.lo) / self.width).floor();
        let i = if i < 0.0 { 0 } else { i as usize };
        i.min(self.bins.len() - 1)
    }

    /// The lower edge of bin `i`, in `ln x`.
    pub fn edge(&self, i: usize) -> f64 {
        self.lo + self.width * i as f64
    }

    /// The width of a bin, in `ln x`.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// The lognormal by the moments of `ln x` (its maximum likelihood, with the
    /// unbiased variance), or `None` under two values.
    pub fn lognormal(&self) -> Option<Lognormal> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let mu = self.sum / n;
        let var = ((self.sum2 - n * mu * mu) / (n - 1.0)).max(0.0);
        Some(Lognormal {
            mu,
            sigma: var.sqrt(),
            n: self.n,
            se_mu: (var / n).sqrt(),
        })
    }

    /// The Kolmogorov-Smirnov distance between these values and `fit`, read at the bin
    /// edges (a lower bound on the exact distance, short of it by at most a bin's mass).
    pub fn ks(&self, fit: &Lognormal) -> f64 {
        let n = self.n as f64;
        let mut below = 0u64;
        let mut d: f64 = 0.0;
        for (i, &c) in self.bins.iter().enumerate() {
            below += c;
            let edge = self.edge(i + 1);
            let model = normal_cdf((edge - fit.mu) / fit.sigma.max(1e-12));
            d = d.max((below as f64 / n - model).abs());
        }
        d
    }
}

/// A lognormal fit: `ln x` normal with mean `mu` and deviation `sigma`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lognormal {
    /// Mean of `ln x`.
    pub mu: f64,
    /// Deviation of `ln x`.
    pub sigma: f64,
    /// Values it rests on (ended ones, for a censored fit).
    pub n: u64,
    /// Standard error of `mu`.
    pub se_mu: f64,
}

impl Lognormal {
    /// The median, with its interval from `mu`'s.
    pub fn median(&self) -> Estimate {
        Estimate {
            value: self.mu.exp(),
            lo: (self.mu - Z95 * self.se_mu).exp(),
            hi: (self.mu + Z95 * self.se_mu).exp(),
            n: self.n,
        }
    }

    /// The mean, `exp(mu + sigma²/2)`, with a delta-method interval on its logarithm
    /// (`var = sigma²/n + sigma⁴ / 2(n-1)`).
    pub fn mean(&self) -> Estimate {
        let n = self.n as f64;
        let s2 = self.sigma * self.sigma;
        let log_mean = self.mu + s2 / 2.0;
        let se = (self.se_mu * self.se_mu + s2 * s2 / (2.0 * (n - 1.0).max(1.0))).sqrt();
        Estimate {
            value: log_mean.exp(),
            lo: (log_mean - Z95 * se).exp(),
            hi: (log_mean + Z95 * se).exp(),
            n: self.n,
        }
    }

    /// The coefficient of variation, `sqrt(exp(sigma²) - 1)`.
    pub fn cv(&self) -> f64 {
        (self.sigma * self.sigma).exp_m1().sqrt()
    }

    /// The density of `ln x` at `y`.
    pub fn log_density(&self, y: f64) -> f64 {
        let z = (y - self.mu) / self.sigma;
        (-0.5 * z * z).exp() / (self.sigma * (2.0 * std::f64::consts::PI).sqrt())
    }
}

/// The lognormal fitted by maximum likelihood to times some of which ended (`ended`)
/// and some of which were still running when watching stopped (`censored`, at the time
/// they had reached), both binned on `ln x` with the same bins. The likelihood takes
/// each bin at its centre; the interval of `mu` comes from the observed information
/// (the curvature of the log-likelihood at its peak).
pub fn censored_lognormal(ended: &LogHistogram, censored: &LogHistogram) -> Option<Lognormal> {
    let start = ended.lognormal()?;
    let centre = |i: usize| ended.edge(i) + ended.width() / 2.0;
    let ll = |mu: f64, log_sigma: f64| -> f64 {
        let sigma = log_sigma.exp();
        let mut total = 0.0;
        for (i, &c) in ended.bins.iter().enumerate() {
            if c > 0 {
                let z = (centre(i) - mu) / sigma;
                total += c as f64 * (-log_sigma - 0.5 * z * z);
            }
        }
        for (i, &c) in censored.bins.iter().enumerate() {
            if c > 0 {
                let z = (centre(i) - mu) / sigma;
                total += c as f64 * (1.0 - normal_cdf(z)).max(1e-300).ln();
            }
        }
        total
    };
    let mut p = [start.mu, start.sigma.max(1e-3).ln()];
    let h = 1e-4;
    let mut hess = [[0.0; 2]; 2];
    for _ in 0..60 {
        let f0 = ll(p[0], p[1]);
        let at = |d0: f64, d1: f64| ll(p[0] + d0, p[1] + d1);
        let g = [
            (at(h, 0.0) - at(-h, 0.0)) / (2.0 * h),
            (at(0.0, h) - at(0.0, -h)) / (2.0 * h),
        ];
        hess[0][0] = (at(h, 0.0) - 2.0 * f0 + at(-h, 0.0)) / (h * h);
        hess[1][1] = (at(0.0, h) - 2.0 * f0 + at(0.0, -h)) / (h * h);
        hess[0][1] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4.0 * h * h);
        hess[1][0] = hess[0][1];
        let det = hess[0][0] * hess[1][1] - hess[0][1] * hess[1][0];
        // A Newton step where the surface is concave, a gradient step otherwise; halved
        // until the likelihood rises.
        let mut step = if det > 0.0 && hess[0][0] < 0.0 {
            [
                -(hess[1][1] * g[0] - hess[0][1] * g[1]) / det,
                -(hess[0][0] * g[1] - hess[1][0] * g[0]) / det,
            ]
        } else {
            [g[0] * 1e-3, g[1] * 1e-3]
        };
        let mut moved = false;
        for _ in 0..30 {
            if ll(p[0] + step[0], p[1] + step[1]) > f0 {
                p = [p[0] + step[0], p[1] + step[1]];
                moved = true;
                break;
            }
            step = [step[0] / 2.0, step[1] / 2.0];
        }
        if !moved || step[0].abs() + step[1].abs() < 1e-9 {
            break;
        }
    }
    let det = hess[0][0] * hess[1][1] - hess[0][1] * hess[1][0];
    let var_mu = if det > 0.0 {
        -hess[1][1] / det
    } else {
        start.se_mu * start.se_mu
    };
    Some(Lognormal {
        mu: p[0],
        sigma: p[1].exp(),
        n: ended.n,
        se_mu: var_mu.max(0.0).sqrt(),
    })
}

/// A survival curve from binned times (Kaplan-Meier on a life table: a bin's censored
/// times count at risk for half of it), at the upper edge of each bin.
pub fn kaplan_meier(events: &[u64], censored: &[u64]) -> Vec<f64> {
    let mut at_risk: f64 = events.iter().chain(censored).sum::<u64>() as f64;
    let mut s = 1.0;
    let mut out = Vec::with_capacity(events.len());
    for (&d, &c) in events.iter().zip(censored) {
        let n = at_risk - c as f64 / 2.0;
        if n > 0.0 {
            s *= 1.0 - d as f64 / n;
        }
        out.push(s);
        at_risk -= (d + c) as f64;
    }
    out
}

/// The non-increasing sequence nearest to `y` in weighted least squares (pool adjacent
/// violators).
pub fn non_increasing(y: &[f64], w: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (&v, &wt) in y.iter().zip(w) {
        blocks.push((v, wt, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 < blocks[blocks.len() - 1].0 {
            let (v2, w2, n2) = blocks.pop().expect("two blocks");
            let (v1, w1, n1) = blocks.pop().expect("two blocks");
            let wsum = w1 + w2;
            let mean = if wsum > 0.0 {
                (v1 * w1 + v2 * w2) / wsum
            } else {
                (v1 + v2) / 2.0
            };
            blocks.push((mean, wsum, n1 + n2));
        }
    }
    blocks
        .into_iter()
        .flat_map(|(v, _, n)| std::iter::repeat_n(v, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values() {
        // Tables: Phi(1.96) = 0.975; chi2(0.975, 10) = 20.483, chi2(0.025, 10) = 3.247.
        assert!((normal_cdf(Z95) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
        assert!((chi2_quantile(0.975, 10.0) - 20.483).abs() / 20.483 < 0.01);
        assert!((chi2_quantile(0.025, 10.0) - 3.247).abs() / 3.247 < 0.02);
        // Wilson's interval for 10 of 100: 0.0552-0.1744 (Newcombe 1998, method 3).
        let s = share(10, 100);
        assert!(
            (s.lo - 0.0552).abs() < 1e-3 && (s.hi - 0.1744).abs() < 1e-3,
            "{s:?}"
        );
        // Garwood's interval for 10 events: 4.795-18.390.
        let p = poisson(10);
        assert!(
            (p.lo - 4.795).abs() < 0.1 && (p.hi - 18.39).abs() < 0.2,
            "{p:?}"
        );
        assert!((chi2_sf(18.307, 10.0) - 0.05).abs() < 0.003);
    }

    #[test]
    fn pool_adjacent_violators() {
        let y = non_increasing(&[1.0, 0.8, 0.9, 0.5, 0.6], &[1.0; 5]);
        let want = [1.0, 0.85, 0.85, 0.55, 0.55];
        assert!(
            y.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12),
            "{y:?}"
        );
    }

    #[test]
    fn kaplan_meier_without_censoring_is_the_empirical_survival() {
        let s = kaplan_meier(&[2, 1, 1], &[0, 0, 0]);
        assert_eq!(s, vec![0.5, 0.25, 0.0]);
    }

    #[test]
    fn censored_lognormal_undoes_the_censoring() {
        // ln x uniform on a fine grid standing in for N(2, 0.5): values past e^2.3
        // censored there. The naive fit of the ended values is pulled low; the censored
        // fit recovers mu = 2 within the grid's resolution.
        let mut ended = LogHistogram::new(0.01, 1e4, 50);
        let mut cens = LogHistogram::new(0.01, 1e4, 50);
        for i in 1..2000 {
            let u = i as f64 / 2000.0;
            // Inverse normal by bisection on normal_cdf.
            let (mut a, mut b) = (-8.0, 8.0);
            for _ in 0..60 {
                let m = (a + b) / 2.0;
                if normal_cdf(m) < u {
                    a = m
                } else {
                    b = m
                }
            }
            let y = 2.0 + 0.5 * a;
            if y < 2.3 {
                ended.add(y.exp());
            } else {
                cens.add(2.3f64.exp());
            }
        }
        let naive = ended.lognormal().unwrap();
        let fit = censored_lognormal(&ended, &cens).unwrap();
        assert!(naive.mu < 1.8, "{naive:?}");
        assert!((fit.mu - 2.0).abs() < 0.03, "{fit:?}");
        assert!((fit.sigma - 0.5).abs() < 0.03, "{fit:?}");
    }
}
