//! Structures and roles: the presets, overridden by `[roles.<role>]` (every structure with
//! that role) and then by `[structures.<name>.roles.<role>]` (one structure).

use toml::{Table, Value};

use super::reader::{join, Range, Reader};
use crate::engine::{Calendar, Segment, Time, WeekPlan, Weekday};
use crate::model::Dist;
use crate::model::{KindSet, WorkKind};
use crate::structure::{Breaks, Pay, Role, Structure, Turnover, PRESETS_TOML, PRESET_NAMES};

const MAX_HEADCOUNT: f64 = 10_000.0;

/// Working days and daily periods (milliseconds since midnight).
#[derive(Clone, Debug)]
pub(super) struct Hours {
    days: Vec<Weekday>,
    periods: Vec<(u64, u64)>,
    break_minutes: Option<f64>,
    break_window: Option<(u64, u64)>,
}

fn clock(s: &str) -> Option<u64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some((h * 60 + m) * Time::MINUTE.0)
}

fn span(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (clock(a)?, clock(b)?);
    (a < b).then_some((a, b))
}

/// Reads `weekdays` and `hours` of a table (defaults: Monday-Friday, 09:00-18:00 with
/// lunch 13:00-14:00).
pub(super) fn hours(r: &mut Reader, t: &Table, path: &str) -> Option<Hours> {
    let (days, hours) = (r.get(t, "weekdays"), r.get(t, "hours"));
    let days = match days {
        None => Weekday::ALL[..5].to_vec(),
        Some(v) => r.weekdays(v, join(path, "weekdays"))?,
    };
    let periods = match hours {
        None => vec![
            (9 * Time::HOUR.0, 13 * Time::HOUR.0),
            (14 * Time::HOUR.0, 18 * Time::HOUR.0),
        ],
        Some(v) => periods(r, v, join(path, "hours"))?,
    };
    let break_minutes = r
        .opt_number(t, path, "break_minutes", Range::Within(0.0, 480.0))
        .flatten();
    let break_window = r
        .get(t, "break_window")
        .and_then(|v| window(r, v, join(path, "break_window")));
    Some(Hours {
        days,
        periods,
        break_minutes,
        break_window,
    })
}

/// A window like `"12:00-15:00"`.
fn window(r: &mut Reader, v: &Value, path: String) -> Option<(u64, u64)> {
    let s = r.string_value(v, path.clone())?;
    let w = span(&s);
    if w.is_none() {
        r.problem(
            path,
            format!("expected a window like \"12:00-15:00\" (start before end), found {s:?}"),
        );
    }
    w
}

fn periods(r: &mut Reader, v: &Value, path: String) -> Option<Vec<(u64, u64)>> {
    let texts = r.strings(v, path.clone())?;
    let mut out = vec![];
    for (i, s) in texts.iter().enumerate() {
        match span(s) {
            Some(p) => out.push(p),
            None => {
                r.problem(format!("{path}[{i}]"), format!("expected a period like \"09:00-13:00\" (start before end, 00:00 to 24:00), found {s:?}"));
                return None;
            }
        }
    }
    out.sort();
    if out.windows(2).any(|w| w[1].0 < w[0].1) {
        r.problem(path, "periods overlap");
        return None;
    }
    Some(out)
}

/// A time block: on these days, between these times, only this work.
#[derive(Clone, Debug)]
struct Block {
    days: Vec<Weekday>,
    from: u64,
    to: u64,
    work: Vec<WorkKind>,
    /// Work in the block goes this much faster and starts with no switch (set: a batch).
    focus: Option<f64>,
    /// Who has the phone: the block's people between tasks (`interrupt`), or a named
    /// colleague role, checked to answer then.
    phone: Option<String>,
}

/// A block that leaves the phone to a named colleague role, to be checked once the
/// structure's roles are known.
#[derive(Clone, Debug)]
pub(super) struct PhoneCover {
    path: String,
    role: String,
    days: Vec<Weekday>,
    from: u64,
    to: u64,
}

/// The colleague named to take the phone during a block exists, answers calls, and is
/// at work with calls allowed at every minute of the block.
fn check_cover(r: &mut Reader, c: &PhoneCover, roles: &[Role]) {
    let Some(role) = roles.iter().find(|x| x.name == c.role) else {
        let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
        r.problem(
            c.path.clone(),
            format!(
                "expected \"interrupt\" or a role of this structure to take the calls ({}), found {:?}",
                names.join(", "),
                c.role
            ),
        );
        return;
    };
    let call = WorkKind::InboundCall;
    let answers = |d: Weekday, t: u64| {
        role.plan
            .day(d)
            .iter()
            .any(|g| g.from <= t && t < g.to && role.masks[g.tag as usize].contains(call))
    };
    for &d in &c.days {
        let gap = (c.from..c.to)
            .step_by(Time::MINUTE.0 as usize)
            .find(|&t| !answers(d, t));
        if let Some(t) = gap {
            r.problem(
                c.path.clone(),
                format!(
                    "{} does not answer the phone on {} at {:02}:{:02}, inside the block: it cannot take its calls",
                    c.role,
                    d.short(),
                    t / Time::HOUR.0,
                    t % Time::HOUR.0 / Time::MINUTE.0
                ),
            );
            return;
        }
    }
}

/// One layer of a role's fields; `None` means "not set in this layer".
#[derive(Clone, Debug, Default)]
struct RoleSpec {
    count: Option<Vec<f64>>,
    works: Option<Vec<WorkKind>>,
    speed: Option<f64>,
    win: Option<f64>,
    expansion: Option<f64>,
    switch_minutes: Option<f64>,
    hours: Option<Vec<(u64, u64)>>,
    weekdays: Option<Vec<Weekday>>,
    break_minutes: Option<f64>,
    break_window: Option<(u64, u64)>,
    blocks: Option<Vec<Block>>,
    salary: Option<f64>,
    commission_new: Option<f64>,
    commission_repeat: Option<f64>,
    per_hour: Option<f64>,
    per_lead: Option<f64>,
    annual_attrition: Option<f64>,
    tenure_months: Option<Dist>,
    time_to_fill_days: Option<Dist>,
    hiring_cost: Option<f64>,
    ramp_months: Option<f64>,
    ramp_start: Option<f64>,
    takes_clients_share: Option<f64>,
    handover_cold_share: Option<f64>,
    promote_to: Option<String>,
    promote_after_months: Option<f64>,
    promoted_ramp_months: Option<f64>,
}

impl RoleSpec {
    fn over(self, top: RoleSpec) -> RoleSpec {
        RoleSpec {
            count: top.count.or(self.count),
            works: top.works.or(self.works),
            speed: top.speed.or(self.speed),
            win: top.win.or(self.win),
            expansion: top.expansion.or(self.expansion),
            switch_minutes: top.switch_minutes.or(self.switch_minutes),
            hours: top.hours.or(self.hours),
            weekdays: top.weekdays.or(self.weekdays),
            break_minutes: top.break_minutes.or(self.break_minutes),
            break_window: top.break_window.or(self.break_window),
            blocks: top.blocks.or(self.blocks),
            salary: top.salary.or(self.salary),
            commission_new: top.commission_new.or(self.commission_new),
            commission_repeat: top.commission_repeat.or(self.commission_repeat),
            per_hour: top.per_hour.or(self.per_hour),
            per_lead: top.per_lead.or(self.per_lead),
            annual_attrition: top.annual_attrition.or(self.annual_attrition),
            tenure_months: top.tenure_months.or(self.tenure_months),
            time_to_fill_days: top.time_to_fill_days.or(self.time_to_fill_days),
            hiring_cost: top.hiring_cost.or(self.hiring_cost),
            ramp_months: top.ramp_months.or(self.ramp_months),
            ramp_start: top.ramp_start.or(self.ramp_start),
            takes_clients_share: top.takes_clients_share.or(self.takes_clients_share),
            handover_cold_share: top.handover_cold_share.or(self.handover_cold_share),
            promote_to: top.promote_to.or(self.promote_to),
            promote_after_months: top.promote_after_months.or(self.promote_after_months),
            promoted_ramp_months: top.promoted_ramp_months.or(self.promoted_ramp_months),
        }
    }
}

fn works(r: &mut Reader, v: &Value, path: String) -> Option<Vec<WorkKind>> {
    let names = r.strings(v, path.clone())?;
    let mut out: Vec<WorkKind> = vec![];
    for (i, n) in names.iter().enumerate() {
        match WorkKind::parse(n) {
            Some(k) if out.contains(&k) => {
                r.problem(format!("{path}[{i}]"), format!("{n} is listed twice"));
                return None;
            }
            Some(k) => out.push(k),
            None => {
                let all: Vec<&str> = WorkKind::ALL.iter().map(|k| k.name()).collect();
                r.problem(
                    format!("{path}[{i}]"),
                    format!(
                        "unknown kind of work {n:?}; expected one of: {}",
                        all.join(", ")
                    ),
                );
                return None;
            }
        }
    }
    Some(out)
}

fn blocks(r: &mut Reader, v: &Value, path: String) -> Option<Vec<Block>> {
    let list = r.list_value(v, path.clone())?;
    let mut out = vec![];
    for (i, b) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Value::Table(t) = b else {
            r.problem(p, "expected a table { days, from, to, work }");
            return None;
        };
        r.open(t, &p);
        let days = r.get(t, "days");
        let days = days.map_or(Some(Weekday::ALL.to_vec()), |v| {
            r.weekdays(v, join(&p, "days"))
        });
        let mut time = |key: &str| {
            let s = r.string(t, &p, key)?;
            let c = clock(&s);
            if c.is_none() {
                r.problem(
                    join(&p, key),
                    format!("expected a time like \"09:20\", found {s:?}"),
                );
            }
            c
        };
        let (from, to) = (time("from"), time("to"));
        let work = match r.get(t, "work") {
            Some(v) => works(r, v, join(&p, "work")),
            None => {
                r.problem(join(&p, "work"), "missing");
                None
            }
        };
        let focus = r.opt_number(t, &p, "focus", Range::Within(0.1, 10.0));
        let phone = match r.get(t, "phone") {
            None => Some(None),
            Some(v) => r.string_value(v, join(&p, "phone")).map(Some),
        };
        let (days, from, to, mut work, focus, phone) = (days?, from?, to?, work?, focus?, phone?);
        if from >= to {
            r.problem(p, "from must be before to");
            return None;
        }
        if phone.as_deref() == Some("interrupt") && !work.contains(&WorkKind::InboundCall) {
            // A ringing call is taken between the block's tasks.
            work.insert(0, WorkKind::InboundCall);
        }
        out.push(Block {
            days,
            from,
            to,
            work,
            focus,
            phone,
        });
    }
    Some(out)
}

/// Reads one layer of role fields.
fn layer(r: &mut Reader, t: &Table, path: &str, cal: &Calendar) -> RoleSpec {
    r.open(t, path);
    let count = r.get(t, "count").and_then(|v| {
        let p = join(path, "count");
        let xs = match v {
            Value::Integer(_) => r
                .int_value(v, p.clone(), 0, MAX_HEADCOUNT as i64)
                .map(|n| vec![n as f64; cal.months()]),
            _ => r.monthly(v, p.clone(), cal, Range::Within(0.0, MAX_HEADCOUNT)),
        }?;
        if xs.iter().any(|x| x.fract() != 0.0) {
            r.problem(p, "headcounts must be whole numbers");
            return None;
        }
        Some(xs)
    });
    let opt = |r: &mut Reader, key: &str, range: Range| r.opt_number(t, path, key, range).flatten();
    RoleSpec {
        count,
        works: r
            .get(t, "works")
            .and_then(|v| works(r, v, join(path, "works"))),
        speed: opt(r, "speed", Range::Within(0.01, 100.0)),
        win: opt(r, "win", Range::Within(0.0, 100.0)),
        expansion: opt(r, "expansion", Range::Within(0.0, 100.0)),
        switch_minutes: opt(r, "switch_minutes", Range::Within(0.0, 480.0)),
        hours: r
            .get(t, "hours")
            .and_then(|v| periods(r, v, join(path, "hours"))),
        weekdays: r
            .get(t, "weekdays")
            .and_then(|v| r.weekdays(v, join(path, "weekdays"))),
        break_minutes: opt(r, "break_minutes", Range::Within(0.0, 480.0)),
        break_window: r
            .get(t, "break_window")
            .and_then(|v| window(r, v, join(path, "break_window"))),
        blocks: r
            .get(t, "blocks")
            .and_then(|v| blocks(r, v, join(path, "blocks"))),
        salary: opt(r, "salary_per_month", Range::NonNeg),
        commission_new: opt(r, "commission_new", Range::Share),
        commission_repeat: opt(r, "commission_repeat", Range::Share),
        per_hour: opt(r, "per_hour", Range::NonNeg),
        per_lead: opt(r, "per_lead", Range::NonNeg),
        annual_attrition: opt(r, "annual_attrition", Range::Share),
        tenure_months: r
            .get(t, "tenure_months")
            .and_then(|v| r.dist_value(v, join(path, "tenure_months")))
            .filter(|d| {
                // A mean tenure under a day describes no department (and would turn the
                // staff over every few simulated seconds).
                let ok = d.mean() * 365.25 / 12.0 >= 1.0;
                if !ok {
                    r.problem(
                        join(path, "tenure_months"),
                        format!(
                            "a mean tenure of at least a day (0.033 months) is needed, found {} months",
                            super::reader::shown(d.mean())
                        ),
                    );
                }
                ok
            }),
        time_to_fill_days: r
            .get(t, "time_to_fill_days")
            .and_then(|v| r.dist_value(v, join(path, "time_to_fill_days"))),
        hiring_cost: opt(r, "hiring_cost", Range::NonNeg),
        ramp_months: opt(r, "ramp_months", Range::Within(0.0, 60.0)),
        ramp_start: opt(r, "ramp_start", Range::Share),
        takes_clients_share: opt(r, "takes_clients_share", Range::Share),
        handover_cold_share: opt(r, "handover_cold_share", Range::Share),
        promote_to: r
            .get(t, "promote_to")
            .and_then(|v| r.string_value(v, join(path, "promote_to"))),
        promote_after_months: opt(r, "promote_after_months", Range::Within(0.0, 600.0)),
        promoted_ramp_months: opt(r, "promoted_ramp_months", Range::Within(0.0, 60.0)),
    }
}

/// The office's week (its hours, no blocks) and the length of its mean working day.
pub(super) fn office(h: &Hours) -> (WeekPlan, Time) {
    let week = plan(&h.days, &h.periods, &[]);
    let day = Time(week.weekly_ms() / h.days.len().max(1) as u64);
    (week, day)
}

/// Splits each working period by the blocks that cover it; tag 0 is mixed work.
fn plan(days: &[Weekday], periods: &[(u64, u64)], blocks: &[Block]) -> WeekPlan {
    let mut week: [Vec<Segment>; 7] = Default::default();
    for &d in days {
        let mut cuts: Vec<(u64, u64, u32)> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.days.contains(&d))
            .map(|(i, b)| (b.from, b.to, i as u32 + 1))
            .collect();
        cuts.sort();
        for &(a, b) in periods {
            let mut t = a;
            for &(f, to, tag) in &cuts {
                let (f, to) = (f.max(a), to.min(b));
                if f >= to || to <= t {
                    continue;
                }
                if f > t {
                    week[d.index()].push(Segment {
                        from: t,
                        to: f,
                        tag: 0,
                    });
                }
                week[d.index()].push(Segment {
                    from: f.max(t),
                    to,
                    tag,
                });
                t = to;
            }
            if t < b {
                week[d.index()].push(Segment {
                    from: t,
                    to: b,
                    tag: 0,
                });
            }
        }
    }
    WeekPlan::new(week)
}

/// A role's breaks: `None` without a break; a problem when the window is missing, does
/// not lie within one working period, or is shorter than a break.
fn breaks(
    r: &mut Reader,
    path: &str,
    minutes: Option<f64>,
    window: Option<(u64, u64)>,
    periods: &[(u64, u64)],
) -> Option<Option<Breaks>> {
    let minutes = minutes.unwrap_or(0.0);
    if minutes == 0.0 {
        return Some(None);
    }
    let Some((from, to)) = window else {
        r.problem(
            join(path, "break_window"),
            "missing: break_minutes needs the window its breaks are staggered in, like \"12:00-15:00\" (here or in [calendar])",
        );
        return None;
    };
    let len = Time::from_minutes(minutes);
    if len.0 > to - from {
        r.problem(
            join(path, "break_minutes"),
            format!(
                "a break of {minutes} minutes does not fit in its window of {} minutes",
                Time(to - from).minutes()
            ),
        );
        return None;
    }
    if !periods.iter().any(|&(a, b)| a <= from && to <= b) {
        r.problem(
            join(path, "break_window"),
            "must lie within one working period of the role's hours (breaks are taken from working time: make the hours continuous, e.g. [\"09:00-18:00\"], with the lunch hour as a break)",
        );
        return None;
    }
    Some(Some(Breaks { from, to, len }))
}

fn overlapping_blocks(blocks: &[Block]) -> bool {
    Weekday::ALL.iter().any(|d| {
        let mut v: Vec<(u64, u64)> = blocks
            .iter()
            .filter(|b| b.days.contains(d))
            .map(|b| (b.from, b.to))
            .collect();
        v.sort();
        v.windows(2).any(|w| w[1].0 < w[0].1)
    })
}

/// Turns the merged layers of a role into a `Role`.
fn finish(
    r: &mut Reader,
    s: RoleSpec,
    name: &str,
    path: &str,
    office: &Hours,
    switch_default: f64,
    cal: &Calendar,
) -> Option<(Role, Vec<PhoneCover>)> {
    let count = s.count.or_else(|| {
        r.problem(join(path, "count"), "missing");
        None
    });
    let works = s.works.or_else(|| {
        r.problem(join(path, "works"), "missing");
        None
    });
    if s.salary.is_none() && s.per_hour.is_none() && s.per_lead.is_none() {
        r.problem(path, "no pay given: set salary_per_month, or per_hour / per_lead for an outsourced role (in [roles.".to_string() + name + "] or here)");
    }
    let (count, works) = (count?, works?);
    if works.is_empty() {
        r.problem(join(path, "works"), "must list at least one kind of work");
        return None;
    }
    let blocks = s.blocks.unwrap_or_default();
    for (i, b) in blocks.iter().enumerate() {
        if let Some(k) = b.work.iter().find(|k| !works.contains(k)) {
            r.problem(
                format!("{path}.blocks[{i}].work"),
                format!("{k} is not in the role's works"),
            );
            return None;
        }
    }
    if overlapping_blocks(&blocks) {
        r.problem(join(path, "blocks"), "blocks overlap on the same day");
        return None;
    }
    let days = s.weekdays.unwrap_or_else(|| office.days.clone());
    let periods = s.hours.unwrap_or_else(|| office.periods.clone());
    let breaks = breaks(
        r,
        path,
        s.break_minutes.or(office.break_minutes),
        s.break_window.or(office.break_window),
        &periods,
    )?;
    let plan = plan(&days, &periods, &blocks);
    let count: Vec<u32> = count.iter().map(|&c| c as u32).collect();
    if plan.weekly_ms() == 0 && count.iter().any(|&c| c > 0) {
        r.problem(
            path,
            "has staff but no working hours (check hours and weekdays)",
        );
        return None;
    }
    if let Some(i) = blocks.iter().position(|b| {
        b.phone.as_deref() == Some("interrupt") && !works.contains(&WorkKind::InboundCall)
    }) {
        r.problem(
            format!("{path}.blocks[{i}].phone"),
            "\"interrupt\" lets a ringing call into the block, but the role does not do inbound_call",
        );
        return None;
    }
    let focus: Vec<Option<f64>> = std::iter::once(None)
        .chain(blocks.iter().map(|b| b.focus))
        .collect();
    let covers: Vec<PhoneCover> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b.phone.as_deref() {
            None | Some("interrupt") => None,
            Some(name) => Some(PhoneCover {
                path: format!("{path}.blocks[{i}].phone"),
                role: name.to_string(),
                days: b.days.clone(),
                from: b.from,
                to: b.to,
            }),
        })
        .collect();
    let mut masks = vec![works.iter().copied().collect::<KindSet>()];
    masks.extend(
        blocks
            .iter()
            .map(|b| b.work.iter().copied().collect::<KindSet>()),
    );
    let _ = cal;
    let tenure_months = match (s.annual_attrition, s.tenure_months) {
        (Some(a), Some(_)) if a > 0.0 => {
            r.problem(
                path,
                "set annual_attrition or tenure_months, not both (an attrition rate is an exponential tenure)",
            );
            return None;
        }
        (_, Some(d)) => Some(d),
        (Some(a), None) if a > 0.0 => Some(Dist::Exponential { mean: 12.0 / a }),
        _ => None,
    };
    let month = Time::from_days(365.25 / 12.0);
    let months = |m: Option<f64>| Time::from_secs(month.secs() * m.unwrap_or(0.0));
    let turnover = Turnover {
        tenure_months,
        time_to_fill_days: s.time_to_fill_days.unwrap_or(Dist::Fixed(21.0)),
        hiring_cost: s.hiring_cost.unwrap_or(0.0),
        ramp: months(s.ramp_months),
        ramp_start: s.ramp_start.unwrap_or(0.5),
        takes_clients_share: s.takes_clients_share.unwrap_or(0.0),
        handover_cold_share: s.handover_cold_share.unwrap_or(0.0),
        promote_to: None,
        promote_after: months(s.promote_after_months.or(Some(7.5))),
        promoted_ramp: months(s.promoted_ramp_months.or(Some(1.0))),
    };
    let role = Role {
        name: name.to_string(),
        count,
        works,
        speed: s.speed.unwrap_or(1.0),
        win: s.win.unwrap_or(1.0),
        expansion: s.expansion.unwrap_or(1.0),
        switch: Time::from_minutes(s.switch_minutes.unwrap_or(switch_default)),
        plan,
        masks,
        focus,
        breaks,
        pay: Pay {
            salary_per_month: s.salary.unwrap_or(0.0),
            commission_new: s.commission_new.unwrap_or(0.0),
            commission_repeat: s.commission_repeat.unwrap_or(0.0),
            per_hour: s.per_hour.unwrap_or(0.0),
            per_lead: s.per_lead.unwrap_or(0.0),
        },
        turnover,
    };
    Some((role, covers))
}

/// Every structure: the five presets (with the scenario's overrides) and the scenario's own.
pub(super) fn structures(
    r: &mut Reader,
    t: &Table,
    cal: &Calendar,
    office: &Hours,
    use_presets: bool,
) -> Option<Vec<Structure>> {
    let presets: Table = PRESETS_TOML.parse().expect("presets.toml is valid TOML");
    let global = r.table(t, "", "roles")?.clone();
    let own = r.table(t, "", "structures")?.clone();
    let switch_default = {
        let w = r.table(t, "", "work")?;
        r.open(w, "work");
        r.number_or(w, "work", "switch_minutes", Range::Within(0.0, 480.0), 0.0)
    };
    let mut names: Vec<String> = if use_presets {
        PRESET_NAMES.iter().map(|s| s.to_string()).collect()
    } else {
        vec![]
    };
    let extra: Vec<String> = own.keys().filter(|k| !names.contains(k)).cloned().collect();
    names.extend(extra);
    if names.is_empty() {
        r.problem(
            "structures",
            "with use_presets = false, define at least one structure",
        );
        return None;
    }
    let mut role_names_seen = vec![];
    let mut out = vec![];
    for name in &names {
        let base = presets
            .get(name)
            .and_then(Value::as_table)
            .filter(|_| use_presets);
        let over = match own.get(name) {
            None => None,
            Some(Value::Table(o)) => Some(o),
            Some(other) => {
                r.problem(
                    format!("structures.{name}"),
                    format!("expected a table, found {}", other.type_str()),
                );
                continue;
            }
        };
        let s = structure(r, name, base, over, &global, cal, office, switch_default);
        if let Some(s) = &s {
            role_names_seen.extend(s.roles.iter().map(|x| x.name.clone()));
        }
        out.push(s);
    }
    for (k, v) in &global {
        if !role_names_seen.contains(k) && out.iter().all(Option::is_some) {
            r.problem(format!("roles.{k}"), "no structure has a role of this name");
        } else if let Value::Table(g) = v {
            layer(r, g, &format!("roles.{k}"), cal);
        } else {
            r.problem(format!("roles.{k}"), "expected a table");
        }
    }
    out.into_iter().collect()
}

#[allow(clippy::too_many_arguments)]
fn structure(
    r: &mut Reader,
    name: &str,
    base: Option<&Table>,
    over: Option<&Table>,
    global: &Table,
    cal: &Calendar,
    office: &Hours,
    switch_default: f64,
) -> Option<Structure> {
    let path = format!("structures.{name}");
    let empty = Table::new();
    let (b, o) = (base.unwrap_or(&empty), over.unwrap_or(&empty));
    r.open(o, &path);
    // The scenario's own fields (recorded as read), else the preset's.
    let pick = |r: &mut Reader, key: &str| r.get(o, key).or_else(|| b.get(key));
    let text = |r: &mut Reader, key: &str| -> Option<String> {
        match pick(r, key) {
            Some(v) => r.string_value(v, join(&path, key)),
            None => {
                r.problem(join(&path, key), "missing");
                None
            }
        }
    };
    let description = pick(r, "description")
        .and_then(Value::as_str)
        .unwrap_or("a structure of the scenario's own")
        .to_string();
    let deal_owner = text(r, "deal_owner");
    let client_owner = text(r, "client_owner");
    let handoff = match pick(r, "handoff_minutes") {
        Some(v) => r.number_value(v, join(&path, "handoff_minutes"), Range::Within(0.0, 480.0)),
        None => Some(0.0),
    };
    let handoff_win = match pick(r, "handoff_win_factor") {
        Some(v) => r.number_value(
            v,
            join(&path, "handoff_win_factor"),
            Range::Within(0.01, 1.0),
        ),
        None => Some(1.0),
    };
    let base_roles = b
        .get("roles")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    let over_roles = match r.get(o, "roles") {
        None => Table::new(),
        Some(Value::Table(t)) => t.clone(),
        Some(other) => {
            r.problem(
                join(&path, "roles"),
                format!("expected a table, found {}", other.type_str()),
            );
            return None;
        }
    };
    let mut role_names: Vec<&String> = base_roles.keys().collect();
    role_names.extend(over_roles.keys().filter(|k| !base_roles.contains_key(*k)));
    if role_names.is_empty() {
        r.problem(join(&path, "roles"), "a structure needs at least one role");
        return None;
    }
    let mut roles = vec![];
    let mut promotions = vec![];
    for rn in role_names {
        let rpath = format!("{path}.roles.{rn}");
        let mut spec = RoleSpec::default();
        if let Some(Value::Table(t)) = base_roles.get(rn) {
            spec = spec.over(layer(r, t, &format!("preset.{name}.roles.{rn}"), cal));
        }
        if let Some(Value::Table(t)) = global.get(rn) {
            let mut quiet = Reader::default(); // problems in [roles.X] are reported once, later
            spec = spec.over(layer(&mut quiet, t, &format!("roles.{rn}"), cal));
        }
        match over_roles.get(rn) {
            Some(Value::Table(t)) => spec = spec.over(layer(r, t, &rpath, cal)),
            Some(other) => r.problem(
                rpath.clone(),
                format!("expected a table, found {}", other.type_str()),
            ),
            None => {}
        }
        promotions.push((rpath.clone(), spec.promote_to.clone()));
        roles.push(finish(r, spec, rn, &rpath, office, switch_default, cal));
    }
    let (mut roles, covers): (Vec<Role>, Vec<Vec<PhoneCover>>) = roles
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .unzip();
    for c in covers.iter().flatten() {
        check_cover(r, c, &roles);
    }
    for (i, (rpath, to)) in promotions.into_iter().enumerate() {
        let Some(to) = to else { continue };
        match roles.iter().position(|x| x.name == to) {
            Some(j) if j != i => roles[i].turnover.promote_to = Some(j),
            _ => {
                let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
                r.problem(
                    join(&rpath, "promote_to"),
                    format!(
                        "no other role named {to:?} in this structure; roles: {}",
                        names.join(", ")
                    ),
                );
                return None;
            }
        }
    }
    let s = Structure {
        name: name.to_string(),
        description,
        deal_owner: owner(r, &roles, &path, "deal_owner", deal_owner?)?,
        client_owner: owner(r, &roles, &path, "client_owner", client_owner?)?,
        roles,
        handoff: Time::from_minutes(handoff?),
        handoff_win: handoff_win?,
        unlimited: false,
    };
    Some(s)
}

fn owner(r: &mut Reader, roles: &[Role], path: &str, key: &str, name: String) -> Option<usize> {
    let i = roles.iter().position(|x| x.name == name);
    if i.is_none() {
        let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
        r.problem(
            join(path, key),
            format!(
                "no role named {name:?} in this structure; roles: {}",
                names.join(", ")
            ),
        );
    }
    i
}
