//! The client's churn hazard: a base rate that is multiplied while the client is
//! neglected (no care contact for longer than its cadence plus grace).
//!
//! The time a client lapses is drawn exactly for this piecewise-constant hazard: the
//! client carries an Exp(1) budget of cumulative hazard, spends it as time passes, and
//! lapses when it is used up. A care contact moves the start of neglect later, so the
//! lapse time is recomputed from the budget left.

/// The hazard parameters of one client tier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hazard {
    /// Base hazard, per millisecond.
    pub base_per_ms: f64,
    /// Multiplier applied while neglected (1 = neglect does not matter).
    pub neglect_factor: f64,
}

impl Hazard {
    /// From an annual churn probability (the share of clients lost in a year at the base
    /// rate) and a neglect multiplier.
    pub fn from_annual(annual_share: f64, neglect_factor: f64) -> Hazard {
        let year_ms = 365.25 * 86_400_000.0;
        Hazard {
            base_per_ms: -(1.0 - annual_share).ln() / year_ms,
            neglect_factor,
        }
    }

    /// Cumulative hazard spent over `[from, to)` when neglect starts at `neglect_from`.
    pub fn spent(&self, from: u64, to: u64, neglect_from: u64) -> f64 {
        if to <= from {
            return 0.0;
        }
        let calm = neglect_from.clamp(from, to) - from;
        let neglected = to - from - calm;
        self.base_per_ms * (calm as f64 + self.neglect_factor * neglected as f64)
    }

    /// The instant a budget of `budget` cumulative hazard, counted from `from`, is used up;
    /// `u64::MAX` when the hazard is zero.
    pub fn exhausted_at(&self, from: u64, budget: f64, neglect_from: u64) -> u64 {
        if self.base_per_ms <= 0.0 {
            return u64::MAX;
        }
        let calm_ms = neglect_from.saturating_sub(from) as f64;
        let calm_budget = calm_ms * self.base_per_ms;
        let at = if budget <= calm_budget {
            from as f64 + budget / self.base_per_ms
        } else {
            let start = from.max(neglect_from) as f64;
            start + (budget - calm_budget) / (self.base_per_ms * self.neglect_factor)
        };
        if at >= u64::MAX as f64 {
            u64::MAX
        } else {
            at.ceil() as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_and_exhaustion_agree() {
        let h = Hazard::from_annual(0.25, 3.0);
        let neglect = 1_000_000_000;
        for budget in [0.001, 0.01, 0.05, 0.5] {
            let at = h.exhausted_at(0, budget, neglect);
            let spent = h.spent(0, at, neglect);
            assert!(
                (spent - budget).abs() < 1e-9 * budget.max(1.0),
                "{budget} vs {spent}"
            );
        }
    }

    #[test]
    fn annual_rate_means_annual_share() {
        let h = Hazard::from_annual(0.25, 1.0);
        let year = (365.25 * 86_400_000.0) as u64;
        let survive = (-h.spent(0, year, u64::MAX)).exp();
        assert!((survive - 0.75).abs() < 1e-9);
    }
}
