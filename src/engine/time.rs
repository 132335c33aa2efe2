//! Simulated time: milliseconds since the start of the run.
//!
//! Millisecond resolution keeps rounding far below the second-scale effects the model
//! cares about (a phone caller's patience is about a minute) while integer arithmetic
//! keeps event order exact and reproducible on every machine.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in (or a span of) simulated time, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u64);

impl Time {
    /// The start of the run.
    pub const ZERO: Time = Time(0);
    /// One second.
    pub const SECOND: Time = Time(1_000);
    /// One minute.
    pub const MINUTE: Time = Time(60_000);
    /// One hour.
    pub const HOUR: Time = Time(3_600_000);
    /// One day.
    pub const DAY: Time = Time(86_400_000);
    /// Later than any event of a run.
    pub const NEVER: Time = Time(u64::MAX);

    /// A span of `s` seconds, rounded to the millisecond; negative and NaN give zero.
    #[inline]
    pub fn from_secs(s: f64) -> Time {
        // `+ 0.5` then truncation rounds a positive value (no libm call on the hot path).
        // Converted as a signed integer, which the processor does in one instruction
        // (an unsigned one takes two and a fix-up, on the path every task's end waits
        // on): NaN gives 0 and negatives are clamped to 0; from 2^63 on, `NEVER`.
        let ms = s * 1_000.0 + 0.5;
        let whole = (ms as i64).max(0) as u64;
        Time(if ms >= 9.2e18 { u64::MAX } else { whole })
    }

    /// A span of `m` minutes.
    #[inline]
    pub fn from_minutes(m: f64) -> Time {
        Time::from_secs(m * 60.0)
    }

    /// A span of `h` hours.
    pub fn from_hours(h: f64) -> Time {
        Time::from_secs(h * 3_600.0)
    }

    /// A span of `d` days.
    pub fn from_days(d: f64) -> Time {
        Time::from_secs(d * 86_400.0)
    }

    /// This span in seconds.
    pub fn secs(self) -> f64 {
        self.0 as f64 / 1_000.0
    }

    /// This span in minutes.
    pub fn minutes(self) -> f64 {
        self.0 as f64 / 60_000.0
    }

    /// This span in hours.
    pub fn hours(self) -> f64 {
        self.0 as f64 / 3_600_000.0
    }

    /// The whole day this instant falls in (day 0 is the first day of the run).
    pub fn day(self) -> u32 {
        (self.0 / Time::DAY.0) as u32
    }

    /// Milliseconds since the midnight that starts this instant's day.
    pub fn time_of_day(self) -> u64 {
        self.0 % Time::DAY.0
    }

    /// The instant at midnight starting day `day`.
    pub fn at_day(day: u32) -> Time {
        Time(day as u64 * Time::DAY.0)
    }

    /// `self - other`, or zero when `other` is later.
    pub fn saturating_sub(self, other: Time) -> Time {
        Time(self.0.saturating_sub(other.0))
    }
}

impl Add for Time {
    type Output = Time;
    fn add(self, rhs: Time) -> Time {
        Time(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Time {
    fn add_assign(&mut self, rhs: Time) {
        *self = *self + rhs;
    }
}

impl Sub for Time {
    type Output = Time;
    fn sub(self, rhs: Time) -> Time {
        debug_assert!(self >= rhs, "time went backwards: {self:?} - {rhs:?}");
        Time(self.0 - rhs.0)
    }
}

impl fmt::Display for Time {
    /// `day 3 14:05:07.250`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.time_of_day();
        let (h, m, s) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1_000 % 60);
        write!(
            f,
            "day {} {h:02}:{m:02}:{s:02}.{:03}",
            self.day(),
            ms % 1_000
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        assert_eq!(Time::from_minutes(1.5), Time(90_000));
        assert_eq!(Time::from_secs(-3.0), Time::ZERO);
        assert_eq!(Time::from_secs(f64::NAN), Time::ZERO);
        assert_eq!(Time::from_secs(f64::NEG_INFINITY), Time::ZERO);
        assert_eq!(Time::from_secs(0.0004), Time::ZERO);
        assert_eq!(Time::from_secs(0.0005), Time(1));
        assert_eq!(Time::from_secs(1e300), Time::NEVER);
        assert_eq!(Time::from_secs(f64::INFINITY), Time::NEVER);
        assert_eq!(Time::from_days(2.0).day(), 2);
        assert_eq!(Time(Time::DAY.0 + 61_000).time_of_day(), 61_000);
        assert_eq!(
            format!("{}", Time(Time::DAY.0 + 3_723_250)),
            "day 1 01:02:03.250"
        );
    }
}
