//! The working calendar: civil dates, calendar months, holidays, and weekly work plans.
//!
//! A [`WeekPlan`] lists, for each weekday, the segments of the day in which someone works,
//! each with a tag the caller gives meaning to. [`Calendar::advance`] turns an amount of
//! work into the instant it is done, skipping nights, weekends and holidays: a task that
//! does not fit before the end of the day is finished the next working morning.

use std::fmt;

use super::Time;

/// A day of the week, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// All seven, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// 0 for Monday .. 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses `mon`, `tue`, ... (case-insensitive, three letters or the full English name).
    pub fn parse(s: &str) -> Option<Weekday> {
        let s = s.to_ascii_lowercase();
        Weekday::ALL
            .into_iter()
            .find(|d| s == d.short() || s == d.long())
    }

    /// `mon`, `tue`, ...
    pub fn short(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }

    fn long(self) -> &'static str {
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ][self.index()]
    }
}

/// A civil (proleptic Gregorian) date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, from 1.
    pub day: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The weekday of this date.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    /// The first day of the month `n` months after this date's month.
    pub fn add_months(self, n: u32) -> Date {
        let m0 = self.month - 1 + n;
        Date {
            year: self.year + (m0 / 12) as i32,
            month: m0 % 12 + 1,
            day: 1,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A working segment of a day: `[from, to)` in milliseconds since midnight, with a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Start, in milliseconds since midnight.
    pub from: u64,
    /// End (excluded), in milliseconds since midnight.
    pub to: u64,
    /// What the segment is for (0: any work; else a time block's tag).
    pub tag: u32,
}

/// Who works when, in a week: sorted, non-overlapping segments for each weekday.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeekPlan {
    days: [Vec<Segment>; 7],
}

impl WeekPlan {
    /// A plan from segments per weekday; each day's segments are sorted here and must not
    /// overlap (the caller validated that).
    pub fn new(mut days: [Vec<Segment>; 7]) -> WeekPlan {
        for d in &mut days {
            d.retain(|s| s.to > s.from);
            d.sort_by_key(|s| s.from);
            debug_assert!(d.windows(2).all(|w| w[0].to <= w[1].from));
        }
        WeekPlan { days }
    }

    /// The segments of `day`.
    pub fn day(&self, day: Weekday) -> &[Segment] {
        &self.days[day.index()]
    }

    /// Working milliseconds in a week.
    pub fn weekly_ms(&self) -> u64 {
        self.days.iter().flatten().map(|s| s.to - s.from).sum()
    }
}

/// Dates, months and holidays of one run.
#[derive(Clone, Debug)]
pub struct Calendar {
    start: Date,
    start_weekday: usize,
    /// Day index at which each month starts; one extra entry: the end of the horizon.
    month_starts: Vec<u32>,
    /// The month of each day of the horizon.
    day_month: Vec<u16>,
    holidays: Vec<bool>,
}

impl Calendar {
    /// A calendar of `months` calendar months from `start` (the first of a month), with
    /// the given holidays (dates outside the horizon are ignored).
    pub fn new(start: Date, months: u32, holidays: &[Date]) -> Calendar {
        let epoch = start.days_since_epoch();
        let month_starts: Vec<u32> = (0..=months)
            .map(|k| (start.add_months(k).days_since_epoch() - epoch) as u32)
            .collect();
        let days = *month_starts.last().unwrap_or(&0) as usize;
        let mut day_month = vec![0u16; days];
        for (m, w) in month_starts.windows(2).enumerate() {
            day_month[w[0] as usize..w[1] as usize].fill(m as u16);
        }
        let mut is_holiday = vec![false; days];
        for h in holidays {
            let d = h.days_since_epoch() - epoch;
            if (0..days as i64).contains(&d) {
                is_holiday[d as usize] = true;
            }
        }
        Calendar {
            start,
            start_weekday: start.weekday().index(),
            month_starts,
            day_month,
            holidays: is_holiday,
        }
    }

    /// The first day of the run.
    pub fn start(&self) -> Date {
        self.start
    }

    /// Number of months in the horizon.
    pub fn months(&self) -> usize {
        self.month_starts.len() - 1
    }

    /// The end of the horizon.
    pub fn end(&self) -> Time {
        Time::at_day(*self.month_starts.last().unwrap_or(&0))
    }

    /// The instant month `m` starts (`m == months()` gives the end of the horizon).
    pub fn month_start(&self, m: usize) -> Time {
        Time::at_day(self.month_starts[m])
    }

    /// The first date of month `m`.
    pub fn month_date(&self, m: usize) -> Date {
        self.start.add_months(m as u32)
    }

    /// The month (0-based) instant `t` falls in; the last month for instants past the end.
    pub fn month_of(&self, t: Time) -> usize {
        let d = t.day() as usize;
        match self.day_month.get(d) {
            Some(&m) => m as usize,
            None => self.months().saturating_sub(1),
        }
    }

    /// The number of the calendar month (1 = January) of run month `m`.
    pub fn calendar_month(&self, m: usize) -> u32 {
        self.month_date(m).month
    }

    /// The weekday of day `day` of the run.
    pub fn weekday(&self, day: u32) -> Weekday {
        Weekday::ALL[(self.start_weekday + day as usize) % 7]
    }

    /// Whether day `day` of the run is a holiday.
    pub fn is_holiday(&self, day: u32) -> bool {
        self.holidays.get(day as usize).copied().unwrap_or(false)
    }

    /// Number of days in month `m`.
    pub fn days_in(&self, m: usize) -> u32 {
        self.month_starts[m + 1] - self.month_starts[m]
    }

    fn segments<'p>(&self, plan: &'p WeekPlan, day: u32) -> &'p [Segment] {
        if self.is_holiday(day) {
            &[]
        } else {
            let wd = self.weekday(day);
            // Lifetimes: the plan outlives this call.
            plan.day(wd)
        }
    }

    /// The segment that contains `t`, as `(its end, its tag)`.
    pub fn segment_at(&self, plan: &WeekPlan, t: Time) -> Option<(Time, u32)> {
        let day = t.day();
        let tod = t.time_of_day();
        self.segments(plan, day)
            .iter()
            .find(|s| s.from <= tod && tod < s.to)
            .map(|s| (Time::at_day(day) + Time(s.to), s.tag))
    }

    /// The first segment start strictly after `t`, looking at most a year ahead.
    pub fn next_segment_start(&self, plan: &WeekPlan, t: Time) -> Option<Time> {
        let (day, tod) = (t.day(), t.time_of_day());
        if let Some(s) = self.segments(plan, day).iter().find(|s| s.from > tod) {
            return Some(Time::at_day(day) + Time(s.from));
        }
        (day + 1..day + 1 + 370).find_map(|d| {
            let first = self.segments(plan, d).first()?;
            Some(Time::at_day(d) + Time(first.from))
        })
    }

    /// The instant `work` is done if started at `start` and worked only inside the plan's
    /// segments. `on_piece(from, len)` is called for each stretch actually worked (each
    /// inside one day, none past the horizon). `None` when the work is not done by the end
    /// of the horizon (however long it is: the walk stops there), or when the plan has no
    /// working time in the year ahead.
    pub fn advance(
        &self,
        plan: &WeekPlan,
        start: Time,
        work: Time,
        mut on_piece: impl FnMut(Time, Time),
    ) -> Option<Time> {
        let horizon = self.end();
        let mut t = start;
        let mut left = work;
        loop {
            if t >= horizon {
                return None;
            }
            let end = match self.segment_at(plan, t) {
                Some((end, _)) => end,
                None => {
                    t = self.next_segment_start(plan, t)?;
                    continue;
                }
            };
            let room = end - t;
            if left <= room {
                if left > Time::ZERO {
                    on_piece(t, left);
                }
                return Some(t + left);
            }
            on_piece(t, room);
            left = left - room;
            t = end;
        }
    }

    /// Calls `f(start, length, tag)` for each stretch of working time under `plan`
    /// between `from` and `to` (each inside one segment of one day).
    pub fn for_each_piece(
        &self,
        plan: &WeekPlan,
        from: Time,
        to: Time,
        mut f: impl FnMut(Time, Time, u32),
    ) {
        let mut t = from;
        while t < to {
            match self.segment_at(plan, t) {
                Some((end, tag)) => {
                    let stop = end.min(to);
                    f(t, stop - t, tag);
                    t = stop;
                }
                None => match self.next_segment_start(plan, t) {
                    Some(next) => t = next,
                    None => break,
                },
            }
        }
    }

    /// Working time under `plan` between `from` and `to`.
    pub fn work_between(&self, plan: &WeekPlan, from: Time, to: Time) -> Time {
        let mut total = Time::ZERO;
        self.for_each_piece(plan, from, to, |_, len, _| total += len);
        total
    }

    /// Milliseconds of working time in month `m` under `plan`.
    pub fn working_ms_in_month(&self, plan: &WeekPlan, m: usize) -> u64 {
        (self.month_starts[m]..self.month_starts[m + 1])
            .flat_map(|d| self.segments(plan, d))
            .map(|s| s.to - s.from)
            .sum()
    }
}

/// Working time under one plan as a running total over the horizon, so that "this much
/// working time after an instant" is a lookup, not a walk through the days. It gives what
/// [`Calendar::advance`] gives, for any positive amount of work.
#[derive(Clone, Debug, Default)]
pub struct WorkClock {
    /// Working milliseconds before each day of the horizon, and one more: the total.
    before: Vec<u64>,
}

impl WorkClock {
    /// The running total of `plan`'s working time over `cal`'s horizon.
    pub fn new(cal: &Calendar, plan: &WeekPlan) -> WorkClock {
        let days = cal.day_month.len() as u32;
        let mut before = Vec::with_capacity(days as usize + 1);
        let mut total = 0;
        for d in 0..days {
            before.push(total);
            total += cal
                .segments(plan, d)
                .iter()
                .map(|s| s.to - s.from)
                .sum::<u64>();
        }
        before.push(total);
        WorkClock { before }
    }

    /// The instant `work` of working time after `start`; `None` past the horizon.
    pub fn after(&self, cal: &Calendar, plan: &WeekPlan, start: Time, work: Time) -> Option<Time> {
        if work == Time::ZERO {
            // No work: the next working instant, which the running total cannot tell.
            return cal.advance(plan, start, work, |_, _| {});
        }
        let day = start.day() as usize;
        if day + 1 >= self.before.len() {
            return None;
        }
        let tod = start.time_of_day();
        let done: u64 = cal
            .segments(plan, day as u32)
            .iter()
            .map(|s| tod.clamp(s.from, s.to) - s.from)
            .sum();
        let target = self.before[day] + done + work.0;
        // The day in which the running total reaches the target: the first whose total
        // at its end does. Due times are mostly a day or two ahead: look at the next few
        // days first, then search the rest.
        let ends = &self.before[day + 1..];
        let near = ends.iter().take(4).position(|&end| end >= target);
        let d = day + near.unwrap_or_else(|| ends.partition_point(|&end| end < target));
        if d + 1 >= self.before.len() {
            return None;
        }
        let mut left = target - self.before[d];
        for s in cal.segments(plan, d as u32) {
            let len = s.to - s.from;
            if left <= len {
                return Some(Time::at_day(d as u32) + Time(s.from + left));
            }
            left -= len;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> WeekPlan {
        // 09:00-13:00 and 14:00-18:00, Monday to Friday.
        let h = |x: u64| x * Time::HOUR.0;
        let day = vec![
            Segment {
                from: h(9),
                to: h(13),
                tag: 0,
            },
            Segment {
                from: h(14),
                to: h(18),
                tag: 0,
            },
        ];
        let mut days: [Vec<Segment>; 7] = Default::default();
        for d in days.iter_mut().take(5) {
            *d = day.clone();
        }
        WeekPlan::new(days)
    }

    #[test]
    fn dates_round_trip_and_weekdays() {
        let d = Date::new(2026, 1, 1).unwrap();
        assert_eq!(d.weekday(), Weekday::Thu);
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(d.add_months(14).to_string(), "2027-03-01");
        for k in -1000..1000 {
            let x = Date::from_days_since_epoch(k * 37);
            assert_eq!(x.days_since_epoch(), k * 37);
        }
    }

    #[test]
    fn months_and_holidays() {
        let start = Date::new(2026, 1, 1).unwrap();
        let cal = Calendar::new(start, 3, &[Date::new(2026, 1, 2).unwrap()]);
        assert_eq!(cal.months(), 3);
        assert_eq!(cal.days_in(0), 31);
        assert_eq!(cal.days_in(1), 28);
        assert_eq!(cal.month_of(Time::at_day(31)), 1);
        assert_eq!(cal.end(), Time::at_day(31 + 28 + 31));
        assert!(cal.is_holiday(1));
        // January 2026: 22 weekdays, one a holiday, 8 hours each.
        assert_eq!(cal.working_ms_in_month(&office(), 0), 21 * 8 * Time::HOUR.0);
    }

    #[test]
    fn work_skips_lunch_nights_weekends_and_holidays() {
        let start = Date::new(2026, 1, 1).unwrap(); // Thursday
        let cal = Calendar::new(start, 1, &[Date::new(2026, 1, 2).unwrap()]);
        let plan = office();
        // Thu 12:30 + 1 h of work: 30 min before lunch, 30 min after.
        let t = Time::from_hours(12.5);
        let mut pieces = vec![];
        let end = cal
            .advance(&plan, t, Time::HOUR, |a, l| pieces.push((a, l)))
            .unwrap();
        assert_eq!(end, Time::from_hours(14.5));
        assert_eq!(pieces.len(), 2);
        // Thu 17:00 + 2 h: Friday is a holiday, the weekend is off: Monday 10:00.
        let end = cal
            .advance(
                &plan,
                Time::from_hours(17.0),
                Time::from_hours(2.0),
                |_, _| {},
            )
            .unwrap();
        assert_eq!(end, Time::at_day(4) + Time::from_hours(10.0));
        // Saturday night, no work: the next start is Monday 09:00.
        let sat = Time::at_day(2) + Time::from_hours(23.0);
        assert_eq!(cal.segment_at(&plan, sat), None);
        assert_eq!(
            cal.next_segment_start(&plan, sat),
            Some(Time::at_day(4) + Time::from_hours(9.0))
        );
    }

    #[test]
    fn work_between_inverts_advance() {
        let cal = Calendar::new(Date::new(2026, 1, 1).unwrap(), 2, &[]);
        let plan = office();
        for (start_h, work_h) in [(8.0, 3.0), (12.5, 1.0), (17.0, 10.0), (30.0, 25.0)] {
            let start = Time::from_hours(start_h);
            let work = Time::from_hours(work_h);
            let end = cal.advance(&plan, start, work, |_, _| {}).unwrap();
            assert_eq!(cal.work_between(&plan, start, end), work);
        }
    }

    #[test]
    fn work_past_the_horizon_stops_there() {
        // A month of office hours; work of any length, up to the largest there is, walks
        // to the end of the month and no further: its pieces are the month's working time.
        let cal = Calendar::new(Date::new(2026, 1, 1).unwrap(), 1, &[]);
        let plan = office();
        for work in [Time::from_hours(1_000.0), Time::NEVER] {
            let mut worked = Time::ZERO;
            let end = cal.advance(&plan, Time::ZERO, work, |at, len| {
                assert!(at + len <= cal.end());
                worked += len;
            });
            assert_eq!(end, None);
            assert_eq!(worked.0, cal.working_ms_in_month(&plan, 0));
        }
        // Work that takes all of the month's working time is done within it.
        let all = Time(cal.working_ms_in_month(&plan, 0));
        assert!(cal.advance(&plan, Time::ZERO, all, |_, _| {}).is_some());
    }

    #[test]
    fn empty_plan_never_finishes() {
        let cal = Calendar::new(Date::new(2026, 1, 1).unwrap(), 1, &[]);
        let plan = WeekPlan::default();
        assert_eq!(cal.advance(&plan, Time::ZERO, Time::HOUR, |_, _| {}), None);
        assert_eq!(plan.weekly_ms(), 0);
    }

    #[test]
    fn the_work_clock_agrees_with_advance() {
        // Every start on a grid of a quarter hour over two weeks with a holiday, and
        // amounts of work from a minute to several working days.
        let start = Date::new(2026, 1, 1).expect("valid");
        let holiday = Date::new(2026, 1, 7).expect("valid");
        let cal = Calendar::new(start, 1, &[holiday]);
        let plan = office();
        let clock = WorkClock::new(&cal, &plan);
        for q in 0..(14 * 96) {
            let t = Time(q * 15 * Time::MINUTE.0 + 7);
            for minutes in [0, 1, 59, 60, 240, 241, 480, 481, 1000, 2400, 9000, 40000] {
                let work = Time(minutes * Time::MINUTE.0);
                assert_eq!(
                    clock.after(&cal, &plan, t, work),
                    cal.advance(&plan, t, work, |_, _| {}),
                    "from {t} for {minutes} minutes"
                );
            }
        }
    }
}
