//! Numbers for people (the terminal, the page, the charts): money, percentages, signed
//! figures and a mean with its interval, one way each. CSV cells are not formatted here
//! but in [`super::csv`]: a spreadsheet wants plain digits, a reader wants them grouped.
//!
//! An undefined figure (NaN, or an infinity from a division by nothing) is shown as `-`,
//! never as `NaN%` or `inf`.

/// What an undefined figure is shown as.
pub const UNDEFINED: &str = "-";

/// Whole currency units, thousands grouped by spaces: `1 234 567`, `-999`.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return UNDEFINED.into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A share as a percentage with `decimals` decimals: `percent(0.4601, 0)` is `46%`,
/// `percent(0.4601, 1)` is `46.0%`.
pub fn percent(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return UNDEFINED.into();
    }
    format!("{:.decimals$}%", x * 100.0)
}

/// A share with one decimal, the precision of every table: `46.0%`.
pub fn percent1(x: f64) -> String {
    percent(x, 1)
}

/// `x` through `f`, with a `+` before a positive value: `+1 234`, `-1 234`, `0`.
pub fn signed(x: f64, f: impl Fn(f64) -> String) -> String {
    if x > 0.0 {
        format!("+{}", f(x))
    } else {
        f(x)
    }
}

/// A mean and the half-width of its interval, both through `f`: `2 497 455 ± 27 087`;
/// the mean alone when the half-width is zero or unknown, `-` when the mean is undefined.
pub fn with_half(mean: f64, half: f64, f: impl Fn(f64) -> String) -> String {
    if !mean.is_finite() {
        UNDEFINED.into()
    } else if half.is_finite() && half > 0.0 {
        format!("{} ± {}", f(mean), f(half))
    } else {
        f(mean)
    }
}

/// A change and the half-width of its interval: the change signed, the half-width not
/// (`+12 300 ± 4 100`).
pub fn signed_with_half(mean: f64, half: f64, f: impl Fn(f64) -> String) -> String {
    if !mean.is_finite() {
        UNDEFINED.into()
    } else if half.is_finite() && half > 0.0 {
        format!("{} ± {}", signed(mean, &f), f(half))
    } else {
        signed(mean, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(1234567.4), "1 234 567");
        assert_eq!(money(-999.0), "-999");
        assert_eq!(money(0.0), "0");
        assert_eq!(money(f64::INFINITY), "-");
    }

    #[test]
    fn percentages_signs_and_intervals() {
        assert_eq!(percent(0.4601, 0), "46%");
        assert_eq!(percent1(0.4601), "46.0%");
        assert_eq!(percent(f64::NAN, 1), "-");
        assert_eq!(signed(1234.0, money), "+1 234");
        assert_eq!(signed(-5.0, money), "-5");
        assert_eq!(signed(0.0, money), "0");
        assert_eq!(with_half(2.0, 0.5, |x| format!("{x}")), "2 ± 0.5");
        assert_eq!(with_half(2.0, 0.0, |x| format!("{x}")), "2");
        assert_eq!(with_half(2.0, f64::NAN, |x| format!("{x}")), "2");
        assert_eq!(with_half(f64::INFINITY, 1.0, money), "-");
        assert_eq!(signed_with_half(1234.0, 56.0, money), "+1 234 ± 56");
        assert_eq!(signed_with_half(-3.0, 0.0, money), "-3");
    }
}
