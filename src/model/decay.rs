//! How a web lead's chance of still being interested falls with the response delay.
//!
//! The presets come from the research note (`shared/research/domain-parameters.md`,
//! section 12.1): `mild` is a fit to the Leads360 conversion-by-delay figures (L5),
//! `severe` interpolates the HBR buckets (L2), `extreme` the MIT/InsideSales odds (L3).
//! Those three are minute-scale curves measured mostly on consumer web leads. `b2b` is
//! hours-scale, for trade buyers who send a request and wait for a quote.

/// The share of leads still interested after a delay, as a function of minutes.
#[derive(Clone, Debug, PartialEq)]
pub enum Decay {
    /// `f(t) = 1` for t < 1 min, else `0.24 + 0.06 e^(-t/240) + 0.70 e^(-(t-1))`.
    Mild,
    /// Log-linear interpolation through `(minutes, factor)` points, flat outside them
    /// (each point carries the logarithm of its factor, worked out once: see
    /// [`Decay::points`]).
    Points(Vec<(f64, f64, f64)>),
    /// No decay: every reached lead is as interested as at arrival.
    None,
}

impl Decay {
    /// The curve through `(minutes, factor)` points (minutes increasing, factors in
    /// (0, 1]).
    pub fn points(points: Vec<(f64, f64)>) -> Decay {
        Decay::Points(points.into_iter().map(|(x, y)| (x, y, y.ln())).collect())
    }

    /// The HBR buckets: 1.0 up to an hour, 1/7 at two hours, 1/60 from a day on.
    pub fn severe() -> Decay {
        Decay::points(vec![
            (0.0, 1.0),
            (60.0, 1.0),
            (120.0, 1.0 / 7.0),
            (1440.0, 1.0 / 60.0),
        ])
    }

    /// Hours-scale, for business buyers: 1.0 within 5 minutes; 0.77 after an hour (L8,
    /// B2B software buyers: called within seconds they qualify 1.3x their average, and
    /// at the average from about 11 minutes on, so 1/1.3 by the hour); then L5's
    /// hour-scale tail (1 h +36%, 24 h +17% over later calls): 24 h at 0.77 x 1.17/1.36 =
    /// 0.66, and three days (an estimate of "later") 0.77 / 1.36 = 0.57. No source goes
    /// further: a buyer left a week without an answer has mostly bought elsewhere (0.3,
    /// estimate), one left a month nearly always (0.05 from then on, estimate).
    pub fn b2b() -> Decay {
        Decay::points(vec![
            (5.0, 1.0),
            (60.0, 1.0 / 1.3),
            (1440.0, 1.17 / (1.3 * 1.36)),
            (4320.0, 1.0 / (1.3 * 1.36)),
            (10_080.0, 0.3),
            (43_200.0, 0.05),
        ])
    }

    /// The MIT odds ratios: 1 at 5 min, 1/4 at 10, 1/21 at 30, then a floor of 1/60.
    pub fn extreme() -> Decay {
        Decay::points(vec![
            (5.0, 1.0),
            (10.0, 0.25),
            (30.0, 1.0 / 21.0),
            (1440.0, 1.0 / 60.0),
        ])
    }

    /// The share still interested after `minutes`.
    pub fn factor(&self, minutes: f64) -> f64 {
        match self {
            Decay::None => 1.0,
            Decay::Mild if minutes < 1.0 => 1.0,
            Decay::Mild => 0.24 + 0.06 * (-minutes / 240.0).exp() + 0.70 * (-(minutes - 1.0)).exp(),
            Decay::Points(p) => interpolate_log(p, minutes),
        }
    }
}

fn interpolate_log(points: &[(f64, f64, f64)], x: f64) -> f64 {
    let (first, last) = (points[0], points[points.len() - 1]);
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    let i = points.partition_point(|p| p.0 <= x);
    let (a, b) = (points[i - 1], points[i]);
    let w = (x - a.0) / (b.0 - a.0);
    (a.2 * (1.0 - w) + b.2 * w).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mild_matches_the_fitted_points() {
        // The research note's fit: 1 min 1.00, 2 min 0.56, 3 min 0.39, 1 h 0.29, 24 h 0.24.
        let d = Decay::Mild;
        for (t, f) in [
            (0.5, 1.0),
            (2.0, 0.56),
            (3.0, 0.39),
            (60.0, 0.29),
            (1440.0, 0.24),
        ] {
            assert!((d.factor(t) - f).abs() < 0.01, "t={t}: {}", d.factor(t));
        }
    }

    #[test]
    fn severe_interpolates_log_linearly() {
        let d = Decay::severe();
        assert_eq!(d.factor(30.0), 1.0);
        assert!((d.factor(120.0) - 1.0 / 7.0).abs() < 1e-12);
        assert!((d.factor(90.0) - (1.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!((d.factor(10_000.0) - 1.0 / 60.0).abs() < 1e-12);
        assert!(Decay::extreme().factor(20.0) < 0.25);
    }

    #[test]
    fn b2b_is_hours_scale() {
        let d = Decay::b2b();
        assert_eq!(d.factor(3.0), 1.0);
        for (t, f) in [
            (60.0, 0.77),
            (1440.0, 0.66),
            (4320.0, 0.57),
            (10_080.0, 0.3),
            (50_000.0, 0.05),
        ] {
            assert!((d.factor(t) - f).abs() < 0.005, "t={t}: {}", d.factor(t));
        }
        // A lead called back the next morning keeps two thirds of its interest; on the
        // mild curve it keeps a quarter.
        assert!(d.factor(16.0 * 60.0) > 0.66 && Decay::Mild.factor(16.0 * 60.0) < 0.25);
    }
}
