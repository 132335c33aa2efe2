//! The accumulator a calibration streams its records into, and the fits it makes of
//! them at the end: each scenario figure the data can tell, with its estimate, its 95%
//! interval, the records behind it and how it was obtained; and each figure the data
//! cannot tell, with the reason the template's value is kept.

use std::collections::{BTreeMap, HashMap};

use super::records::{
    Call, CallStatus, Cause, Channel, End, First, Lead, Next, Order, Sink, Stamp,
};
use super::stats::{self, Estimate, LogHistogram, Lognormal};
use crate::engine::Date;
use crate::model::decay::Decay;
use crate::scenario::Scenario;

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Fewest records a share, a mean or a distribution is fitted from.
pub const MIN_RECORDS: u64 = 30;
/// Seconds of the patience life table (one-second bins; longer waits fall in the last).
const PATIENCE_BINS: usize = 1800;
/// Delay bands of the speed-to-lead table, upper edges in minutes.
pub const BANDS: [f64; 7] = [5.0, 60.0, 240.0, 1440.0, 4320.0, 10_080.0, f64::INFINITY];
/// The decay presets a scenario can name, in the order they are tried.
pub const PRESETS: [&str; 5] = ["b2b", "mild", "severe", "extreme", "none"];

fn preset(name: &str) -> Decay {
    match name {
        "mild" => Decay::Mild,
        "severe" => Decay::severe(),
        "extreme" => Decay::extreme(),
        "b2b" => Decay::b2b(),
        _ => Decay::None,
    }
}

/// Deals of one segment.
#[derive(Clone, Debug)]
pub struct SegmentData {
    /// Inbound deals opened.
    pub opened: u64,
    /// Inbound deals won.
    pub won: u64,
    /// Inbound deals lost at the decision.
    pub lost: u64,
    /// Inbound deals gone cold.
    pub cold: u64,
    /// Cold-calling deals won and lost at the decision.
    pub outbound: [u64; 2],
    /// Won deals' values.
    pub value: LogHistogram,
    /// Days from the deal's start to its decision.
    pub cycle: LogHistogram,
    /// Days a deal was watched before it went cold, or the data ended.
    pub cycle_censored: LogHistogram,
    /// Deals still open, by the day they started (censored where the data end).
    open_from: BTreeMap<i64, u64>,
    /// Repeat orders' amounts.
    pub order_value: LogHistogram,
    /// Deals won (inbound and cold), by the day of the decision: the clients a
    /// segment gains.
    won_days: BTreeMap<i64, u64>,
    /// Touches of the decided deals whose touches the data give: count, sum, sum of
    /// squares.
    touches: [f64; 3],
}

impl SegmentData {
    fn new() -> SegmentData {
        SegmentData {
            opened: 0,
            won: 0,
            lost: 0,
            cold: 0,
            outbound: [0; 2],
            value: LogHistogram::new(1e-2, 1e9, 10),
            cycle: LogHistogram::new(1e-3, 1e4, 10),
            cycle_censored: LogHistogram::new(1e-3, 1e4, 10),
            open_from: BTreeMap::new(),
            order_value: LogHistogram::new(1e-2, 1e9, 10),
            won_days: BTreeMap::new(),
            touches: [0.0; 3],
        }
    }
}

/// What the records add up to.
#[derive(Clone, Debug)]
pub struct Accumulator {
    /// Segment names, in the order first seen.
    pub segment_names: Vec<String>,
    segments: Vec<SegmentData>,
    /// Deals with no segment.
    pooled: SegmentData,
    first: Option<Stamp>,
    last: Option<Stamp>,
    /// Inbound leads by month (`year * 12 + month - 1`): phone, written.
    months: BTreeMap<i64, [u64; 2]>,
    /// Inbound leads by channel (phone, written), weekday and hour.
    profile: [[[u64; 24]; 7]; 2],
    /// Non-live first contacts whose outcome is known, by delay bin: still
    /// interested, too late.
    decay: Vec<[u64; 2]>,
    /// Of those, the leads won in the end, by the same bins.
    won_by_delay: Vec<u64>,
    /// The bins of `decay` (only its edges are used).
    decay_bins: LogHistogram,
    /// Delay to the first contact of leads not answered live, in minutes.
    speed_to_lead: LogHistogram,
    target: u64,
    non_target: u64,
    nurtured: u64,
    /// Nurtured leads by the day they were nurtured: how many, how many came back.
    nurture_days: BTreeMap<i64, [u64; 2]>,
    /// Calls that waited in a queue: abandoned, and the sum of all waits.
    queued: u64,
    abandoned: u64,
    exposure: f64,
    km_events: Vec<u64>,
    km_censored: Vec<u64>,
    /// Abandoned calls by what came next: callback, redial, lost.
    after_abandon: [u64; 3],
    /// Missed calls: logged, lost.
    missed: [u64; 2],
    answered: u64,
    calls: u64,
    talk: LogHistogram,
    leads: u64,
    /// Each client's segment and order times (minutes since 1970): memory grows with
    /// the clients and their orders, which the gaps between orders need.
    clients: HashMap<u64, (Option<u16>, Vec<i32>)>,
    orders: u64,
    /// The months of the newcomers' window ([`Accumulator::newcomers`]) when set: a
    /// simulation is read over the data's.
    pub newcomer_months: Option<usize>,
}

impl Default for Accumulator {
    fn default() -> Self {
        Accumulator::new()
    }
}

impl Accumulator {
    /// Empty.
    pub fn new() -> Accumulator {
        // Delays in minutes, 8 bins per unit of ln from 0.01 to a million (two years).
        let delays = LogHistogram::new(0.01, 1e6, 8);
        Accumulator {
            segment_names: vec![],
            segments: vec![],
            pooled: SegmentData::new(),
            first: None,
            last: None,
            months: BTreeMap::new(),
            profile: [[[0; 24]; 7]; 2],
            decay: vec![[0; 2]; delays.bins.len()],
            won_by_delay: vec![0; delays.bins.len()],
            decay_bins: delays.clone(),
            speed_to_lead: delays,
            target: 0,
            non_target: 0,
            nurtured: 0,
            nurture_days: BTreeMap::new(),
            queued: 0,
            abandoned: 0,
            exposure: 0.0,
            km_events: vec![0; PATIENCE_BINS],
            km_censored: vec![0; PATIENCE_BINS],
            after_abandon: [0; 3],
            missed: [0; 2],
            answered: 0,
            calls: 0,
            talk: LogHistogram::new(1e-2, 1e4, 10),
            leads: 0,
            clients: HashMap::new(),
            orders: 0,
            newcomer_months: None,
        }
    }

    /// Leads read.
    pub fn leads(&self) -> u64 {
        self.leads
    }

    /// Calls read.
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// Orders read.
    pub fn orders(&self) -> u64 {
        self.orders
    }

    fn deals(&mut self, segment: Option<u16>) -> &mut SegmentData {
        match segment {
            Some(k) => &mut self.segments[usize::from(k)],
            None => &mut self.pooled,
        }
    }
}

fn day(at: Stamp) -> i64 {
    at.div_euclid(86_400)
}

fn month_key(d: Date) -> i64 {
    i64::from(d.year) * 12 + i64::from(d.month) - 1
}

impl Sink for Accumulator {
    fn seen(&mut self, at: Stamp) {
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
    }

    fn segment(&mut self, name: &str) -> u16 {
        if let Some(i) = self.segment_names.iter().position(|n| n == name) {
            return i as u16;
        }
        self.segment_names.push(name.to_string());
        self.segments.push(SegmentData::new());
        (self.segment_names.len() - 1) as u16
    }

    fn lead(&mut self, l: &Lead) {
        self.leads += 1;
        let date = Date::from_days_since_epoch(day(l.created));
        if l.channel != Channel::Outbound {
            let c = usize::from(l.channel == Channel::Written);
            self.months.entry(month_key(date)).or_default()[c] += 1;
            let hour = (l.created.rem_euclid(86_400) / 3600) as usize;
            self.profile[c][date.weekday().index()][hour] += 1;
        }
        // Speed to lead, and interest by delay, for leads not answered live.
        if let (Some(c), false, false) = (l.contacted, l.live, l.channel == Channel::Outbound) {
            let minutes = ((c - l.created) as f64 / 60.0).max(0.01);
            self.speed_to_lead.add(minutes);
            if matches!(
                l.first,
                First::Target | First::NonTarget { .. } | First::Late
            ) {
                let bin = self.decay_bins.bin(minutes);
                self.decay[bin][usize::from(l.first == First::Late)] += 1;
                self.won_by_delay[bin] += u64::from(matches!(l.end, End::Won(_)));
            }
        }
        match l.first {
            First::Target if l.channel != Channel::Outbound => self.target += 1,
            First::NonTarget { nurtured } => {
                self.non_target += 1;
                if nurtured {
                    self.nurtured += 1;
                    if let Some(at) = l.nurtured_at {
                        self.nurture_days.entry(day(at)).or_default()[0] += 1;
                        self.nurture_days.entry(day(at)).or_default()[1] += u64::from(l.returned);
                    }
                }
            }
            _ => {}
        }
        let deal = l.first == First::Target || (l.returned && l.qualified.is_some());
        if !deal {
            return;
        }
        let outbound = l.channel == Channel::Outbound;
        let start = l.qualified.or(l.contacted).unwrap_or(l.created);
        let elapsed = l.closed.map(|c| ((c - start) as f64 / 86_400.0).max(1e-3));
        let d = self.deals(l.segment);
        if !outbound {
            d.opened += 1;
        }
        let decided = matches!(
            l.end,
            End::Won(_) | End::Lost(Cause::DecisionLost | Cause::Other)
        );
        if let (true, Some(k)) = (decided, l.touches) {
            let k = f64::from(k);
            d.touches[0] += 1.0;
            d.touches[1] += k;
            d.touches[2] += k * k;
        }
        match l.end {
            End::Won(value) => {
                if let Some(c) = l.closed {
                    *d.won_days.entry(day(c)).or_default() += 1;
                }
                if outbound {
                    d.outbound[0] += 1;
                } else {
                    d.won += 1;
                    if let Some(v) = value {
                        d.value.add(v);
                    }
                }
                if let Some(e) = elapsed {
                    d.cycle.add(e);
                }
            }
            End::Lost(Cause::DecisionLost | Cause::Other) => {
                if outbound {
                    d.outbound[1] += 1;
                } else {
                    d.lost += 1;
                }
                if let Some(e) = elapsed {
                    d.cycle.add(e);
                }
            }
            End::Lost(Cause::DealCold) => {
                d.cold += u64::from(!outbound);
                if let Some(e) = elapsed {
                    d.cycle_censored.add(e);
                }
            }
            End::Lost(_) => {}
            End::Open => *d.open_from.entry(day(start)).or_default() += 1,
        }
    }

    fn order(&mut self, o: &Order) {
        self.orders += 1;
        let entry = self
            .clients
            .entry(o.client)
            .or_insert((o.segment, Vec::new()));
        if entry.0.is_none() {
            entry.0 = o.segment;
        }
        entry
            .1
            .push((o.at.div_euclid(60)).clamp(0, i64::from(i32::MAX)) as i32);
        let segment = entry.0;
        if let Some(a) = o.amount {
            self.deals(segment).order_value.add(a);
        }
    }

    fn call(&mut self, c: &Call) {
        self.calls += 1;
        match c.status {
            CallStatus::Answered => self.answered += 1,
            CallStatus::Abandoned => {
                self.abandoned += 1;
                match c.next {
                    Some(Next::Callback) => self.after_abandon[0] += 1,
                    Some(Next::Redial) => self.after_abandon[1] += 1,
                    Some(Next::Lost) => self.after_abandon[2] += 1,
                    None => {}
                }
            }
            CallStatus::Missed => match c.next {
                Some(Next::Callback) => self.missed[0] += 1,
                Some(_) => self.missed[1] += 1,
                None => {}
            },
        }
        if let (Some(w), true) = (c.wait, c.status != CallStatus::Missed) {
            self.queued += 1;
            self.exposure += w;
            let bin = (w.floor() as usize).min(PATIENCE_BINS - 1);
            if c.status == CallStatus::Abandoned {
                self.km_events[bin] += 1;
            } else {
                self.km_censored[bin] += 1;
            }
        }
        if let Some(t) = c.talk.filter(|t| *t > 0.0) {
            self.talk.add(t / 60.0);
        }
    }
}

/// A figure of the written scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number, written with this many decimals.
    Number(f64, usize),
    /// A list of numbers, with this many decimals.
    List(Vec<f64>, usize),
    /// `{ dist = "exponential", mean = .. }`.
    Exponential(f64),
    /// `{ dist = "lognormal", mean = .., cv = .. }`.
    LognormalMean(f64, f64),
    /// `{ dist = "lognormal", median = .., cv = .. }`.
    LognormalMedian(f64, f64),
    /// A preset's name.
    Text(String),
    /// `[[minutes, factor], ...]`.
    Points(Vec<(f64, f64)>),
}

impl Value {
    /// The figure's main number: the number, or the distribution's median or mean.
    pub fn main(&self) -> Option<f64> {
        match self {
            Value::Number(x, _) | Value::LognormalMedian(x, _) | Value::LognormalMean(x, _) => {
                Some(*x)
            }
            _ => None,
        }
    }

    /// The same figure with its main number `x` (a share kept within 0.001-0.99),
    /// rounded as the figure is written when `rounded`; other figures unchanged.
    pub fn with_main(&self, x: f64, rounded: bool) -> Value {
        let r = |x: f64, d: i32| if rounded { round(x, d) } else { x };
        match self {
            Value::Number(_, d) => Value::Number(r(x.clamp(0.001, 0.99), 3), *d),
            Value::LognormalMedian(_, cv) => Value::LognormalMedian(r(x, 1), *cv),
            Value::LognormalMean(_, cv) => Value::LognormalMean(r(x, 0), *cv),
            other => other.clone(),
        }
    }
}

/// One figure: fitted, or kept from the template.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// Its path in the scenario (`segments.small.win_probability` for a segment's).
    pub path: String,
    /// The estimate, when one was made.
    pub estimate: Option<Estimate>,
    /// The unit of the estimate (`s`, `days`, `leads/month`, "" for a share).
    pub unit: &'static str,
    /// What it rests on ("1,204 calls, 312 abandoned").
    pub from: String,
    /// How it was estimated, or why the template's value is kept.
    pub how: String,
    /// What is written into the scenario; `None`: the template's value is kept.
    pub write: Option<Value>,
}

/// The speed-to-lead table: one row per delay band.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Upper edge, minutes.
    pub upto: f64,
    /// Still interested: share, interval and first contacts behind it.
    pub interested: Estimate,
    /// Won in the end: share, interval and first contacts behind it.
    pub won: Estimate,
}

/// What the charts of `calibration.html` show.
#[derive(Clone, Debug, Default)]
pub struct Charts {
    /// Inbound leads per full month: first day, phone, written, the fit's expectation.
    pub months: Vec<(Date, u64, u64, Option<f64>)>,
    /// Inbound leads by hour of day: phone, written.
    pub hours: [[u64; 24]; 2],
    /// Leads per day of each weekday (Monday first): phone, written.
    pub weekdays: [[f64; 7]; 2],
    /// The 95% intervals of `hours` and `weekdays` (Poisson, per bar).
    pub hours_ci: [[(f64, f64); 24]; 2],
    /// See `hours_ci`.
    pub weekdays_ci: [[(f64, f64); 7]; 2],
    /// The patience life table: Kaplan-Meier survival at each second, and the fitted
    /// exponential mean.
    pub patience: Option<(Vec<f64>, f64)>,
    /// Per segment (name): won values with their fit, cycles with theirs.
    pub values: Vec<(String, LogHistogram, Lognormal)>,
    /// Per segment: days to decision, and the fit of them.
    pub cycles: Vec<(String, LogHistogram, Lognormal)>,
    /// Per segment: repeat orders' amounts, and their fit.
    pub orders: Vec<(String, LogHistogram, Lognormal)>,
    /// Per segment: days between a client's orders, and their fit (the last gaps
    /// censored).
    pub gaps: Vec<(String, LogHistogram, Lognormal)>,
    /// Interest by delay band, with the decay curve written (name or points).
    pub bands: Vec<Band>,
    /// The decay curve written or kept.
    pub decay: Option<(String, Decay)>,
}

/// The outcome of a calibration.
#[derive(Clone, Debug)]
pub struct Fitted {
    /// Every figure looked at, in the scenario's order.
    pub fits: Vec<Fit>,
    /// Remarks: a trend, segments that do not match, what the data lack.
    pub notes: Vec<String>,
    /// For the charts.
    pub charts: Charts,
    /// The first and last moments of the data.
    pub span: Option<(Stamp, Stamp)>,
    /// Of the clients who ordered in the first twelve full months, the share who
    /// ordered in the next twelve.
    pub retention: Option<Estimate>,
    /// Per template segment: deals won and clients first ordering in the newcomers'
    /// window ([`Accumulator::newcomers`]), when the segment's data were found.
    pub newcomers: Vec<(String, Option<(u64, u64)>)>,
    /// That window's length in months (0: the data are too short).
    pub newcomer_months: usize,
    /// Clients who went dormant with a year (the template's write-off period) still in
    /// the data after it, and of them those who ordered again within it
    /// ([`Accumulator::comebacks`]).
    pub comebacks: Option<(u64, u64)>,
}

/// Numbers with thousands separated by commas: `12,345`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `x` rounded to `d` decimals (as the scenario is written).
pub(super) fn round(x: f64, d: i32) -> f64 {
    let k = 10f64.powi(d);
    (x * k).round() / k
}

/// A share fit, or the template kept with the reason.
fn share_fit(path: &str, k: u64, n: u64, what: &str, how: &str) -> Fit {
    if n < MIN_RECORDS {
        return kept(
            path,
            format!("{} {what}", grouped(n)),
            format!("kept: fewer than {MIN_RECORDS} {what}"),
        );
    }
    let e = stats::share(k, n);
    Fit {
        path: path.into(),
        estimate: Some(e),
        unit: "",
        from: format!("{} {what}", grouped(n)),
        how: how.into(),
        write: Some(Value::Number(round(e.value, 3).clamp(0.0, 1.0), 3)),
    }
}

/// A segment's touches per deal from the decided deals' counts (count, sum, sum of
/// squares): their mean with a normal interval, written whole (the model's touches are
/// a count), or the template kept.
fn touches_fit(prefix: &str, [n, sum, squares]: [f64; 3]) -> Fit {
    let path = format!("{prefix}.touches");
    let k = n as u64;
    let from = format!("{} decided deals with their touches", grouped(k));
    if k < MIN_RECORDS {
        let why = if k == 0 {
            "kept: the data do not count touches (a stage history, `--stages`, gives them)"
                .to_string()
        } else {
            format!("kept: fewer than {MIN_RECORDS} decided deals with their touches")
        };
        return kept(&path, from, why);
    }
    let mean = sum / n;
    let variance = ((squares - n * mean * mean) / (n - 1.0)).max(0.0);
    let half = stats::Z95 * (variance / n).sqrt();
    Fit {
        path,
        estimate: Some(Estimate {
            value: mean,
            lo: mean - half,
            hi: mean + half,
            n: k,
        }),
        unit: "",
        from,
        how: format!(
            "mean stage changes (touches) from the deal's start to its decision, {mean:.2} (sd {:.2}), written whole",
            variance.sqrt()
        ),
        write: Some(Value::Number(mean.round().max(1.0), 0)),
    }
}

/// A lognormal fitted to `h` by the moments of `ln x` and written as its mean and cv
/// (`decimals` for the mean), with its fit for the charts; or the template kept, with
/// `kept_why`, under `MIN_RECORDS` values.
fn mean_fit(
    path: &str,
    h: &LogHistogram,
    from: String,
    unit: &'static str,
    decimals: i32,
    kept_why: String,
) -> (Fit, Option<Lognormal>) {
    match h.lognormal().filter(|_| h.n >= MIN_RECORDS) {
        Some(fit) => {
            let mean = fit.mean();
            let fitted = Fit {
                path: path.into(),
                estimate: Some(mean),
                unit,
                from,
                how: format!(
                    "lognormal (moments of ln), mean and cv {:.2}; KS distance {:.3}",
                    fit.cv(),
                    h.ks(&fit)
                ),
                write: Some(Value::LognormalMean(
                    round(mean.value, decimals),
                    round(fit.cv(), 2),
                )),
            };
            (fitted, Some(fit))
        }
        None => (kept(path, from, kept_why), None),
    }
}

fn kept(path: &str, from: String, how: String) -> Fit {
    Fit {
        path: path.into(),
        estimate: None,
        unit: "",
        from,
        how,
        write: None,
    }
}

impl Accumulator {
    /// The fits, against the template scenario (its segments and touches; its
    /// seasonality and scale as written, `template_demand`).
    pub fn finish(
        &self,
        template: &Scenario,
        template_demand: ([f64; 12], f64),
        events: bool,
    ) -> Fitted {
        let mut fits = Vec::new();
        let mut notes = Vec::new();
        let mut charts = Charts::default();
        self.demand(template_demand, &mut fits, &mut notes, &mut charts);
        self.phone(&mut fits, &mut charts, events);
        self.response(template, &mut fits, &mut charts);
        self.qualification(&mut fits, events);
        self.deals_fits(template, &mut fits, &mut notes, &mut charts);
        // The clients' counts, each read once from every client's orders.
        let newcomers = self.newcomers();
        let comebacks = self.comebacks(template);
        self.base_fits(template, (&newcomers, comebacks), &mut fits, &mut charts);
        Fitted {
            fits,
            notes,
            charts,
            span: self.first.zip(self.last),
            retention: self.retention(),
            newcomers: self.newcomers_of(template, &newcomers),
            newcomer_months: newcomers.as_ref().map_or(0, |(m, _)| *m),
            comebacks,
        }
    }

    fn full_months(&self) -> Vec<(Date, [u64; 2])> {
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return vec![];
        };
        let (d0, d1) = (day(first), day(last));
        self.months
            .iter()
            .filter_map(|(&k, &c)| {
                let start = Date::new((k.div_euclid(12)) as i32, (k.rem_euclid(12) + 1) as u32, 1)?;
                let end = start.add_months(1).days_since_epoch() - 1;
                (start.days_since_epoch() >= d0 && end <= d1).then_some((start, c))
            })
            .collect()
    }

    fn demand(
        &self,
        (template_seasonality, scale): ([f64; 12], f64),
        fits: &mut Vec<Fit>,
        notes: &mut Vec<String>,
        charts: &mut Charts,
    ) {
        let full = self.full_months();
        let total: u64 = full.iter().map(|(_, c)| c[0] + c[1]).sum();
        let months = full.len();
        let from = format!("{} inbound leads in {months} full months", grouped(total));
        // The template's own seasonality and scale read the base through when the data
        // do not cover every calendar month.
        let mut by_month = [(0u64, 0u64); 12];
        for (d, c) in &full {
            let m = (d.month - 1) as usize;
            by_month[m].0 += c[0] + c[1];
            by_month[m].1 += 1;
        }
        let covered = by_month.iter().filter(|(_, y)| *y > 0).count();
        if months == 0 || total < MIN_RECORDS {
            fits.push(kept(
                "demand.base_per_month",
                from.clone(),
                "kept: no full month of leads".into(),
            ));
            fits.push(kept(
                "demand.seasonality",
                from,
                "kept: no full month of leads".into(),
            ));
        } else if covered == 12 {
            let rates: Vec<f64> = by_month.iter().map(|&(c, y)| c as f64 / y as f64).collect();
            let base = rates.iter().sum::<f64>() / 12.0;
            let var: f64 = by_month
                .iter()
                .map(|&(c, y)| c as f64 / (y * y) as f64)
                .sum::<f64>()
                / 144.0;
            let se = var.sqrt();
            let e = Estimate {
                value: base,
                lo: base - stats::Z95 * se,
                hi: base + stats::Z95 * se,
                n: total,
            };
            fits.push(Fit {
                path: "demand.base_per_month".into(),
                estimate: Some(e),
                unit: "leads/month",
                from: from.clone(),
                how: "mean of the calendar months' averages (the seasonality averages 1)".into(),
                write: Some(Value::Number(round(base / scale, 1), 1)),
            });
            let factors: Vec<f64> = rates.iter().map(|r| round(r / base, 3)).collect();
            for (m, (&(c, y), f)) in by_month.iter().zip(&factors).enumerate() {
                let p = stats::poisson(c);
                fits.push(Fit {
                    path: format!("demand.seasonality[{m}]"),
                    estimate: Some(Estimate {
                        value: *f,
                        lo: p.lo / y as f64 / base,
                        hi: p.hi / y as f64 / base,
                        n: c,
                    }),
                    unit: "",
                    from: format!("{}: {} leads", MONTH_NAMES[m], grouped(c)),
                    how: "the month's average over the base (Poisson interval)".into(),
                    write: None,
                });
            }
            fits.push(Fit {
                path: "demand.seasonality".into(),
                estimate: None,
                unit: "",
                from: from.clone(),
                how: "each calendar month's average over the base".into(),
                write: Some(Value::List(factors.clone(), 3)),
            });
            for (d, c) in &full {
                let expected = base * factors[(d.month - 1) as usize];
                charts.months.push((*d, c[0], c[1], Some(expected)));
            }
        } else {
            let weight: f64 = full
                .iter()
                .map(|(d, _)| template_seasonality[(d.month - 1) as usize] * scale)
                .sum();
            let p = stats::poisson(total);
            let e = Estimate {
                value: total as f64 / weight * scale,
                lo: p.lo / weight * scale,
                hi: p.hi / weight * scale,
                n: total,
            };
            fits.push(Fit {
                path: "demand.base_per_month".into(),
                estimate: Some(e),
                unit: "leads/month",
                from: from.clone(),
                how: "leads over the template's seasonality of the months seen".into(),
                write: Some(Value::Number(round(total as f64 / weight, 1), 1)),
            });
            fits.push(kept(
                "demand.seasonality",
                from,
                format!("kept: {covered} of 12 calendar months in the data"),
            ));
            for (d, c) in &full {
                charts.months.push((*d, c[0], c[1], None));
            }
        }
        // A trend: the last twelve full months against the twelve before them.
        if months >= 24 {
            let counts: Vec<u64> = full.iter().map(|(_, c)| c[0] + c[1]).collect();
            let b: u64 = counts[months - 24..months - 12].iter().sum();
            let a: u64 = counts[months - 12..].iter().sum();
            if a > 0 && b > 0 {
                let r = a as f64 / b as f64;
                let se = (1.0 / a as f64 + 1.0 / b as f64).sqrt();
                let (lo, hi) = (
                    (r.ln() - stats::Z95 * se).exp(),
                    (r.ln() + stats::Z95 * se).exp(),
                );
                let pct = |x: f64| format!("{:+.0}%", (x - 1.0) * 100.0);
                if lo > 1.0 || hi < 1.0 {
                    notes.push(format!(
                        "Trend: the last 12 months had {} the leads of the 12 before (95% CI {} to {}). The scenario has no trend: the base is the average of the years; set demand.scale for the year you simulate.",
                        pct(r), pct(lo), pct(hi)
                    ));
                } else {
                    notes.push(format!(
                        "No trend: the last 12 months had {} the leads of the 12 before (95% CI {} to {}).",
                        pct(r), pct(lo), pct(hi)
                    ));
                }
            }
        }
        // Channel share and profiles.
        let phone: u64 = self.months.values().map(|c| c[0]).sum();
        let written: u64 = self.months.values().map(|c| c[1]).sum();
        fits.push(share_fit(
            "demand.phone_share",
            phone,
            phone + written,
            "inbound leads",
            "share of inbound leads that phoned (Wilson interval)",
        ));
        let days_of = self.weekday_days();
        for (c, name) in [(0usize, "phone"), (1, "written")] {
            let n: u64 = self.profile[c].iter().flatten().sum();
            let mut hours = [0u64; 24];
            for wd in &self.profile[c] {
                for (h, x) in wd.iter().enumerate() {
                    hours[h] += x;
                }
            }
            charts.hours[c] = hours;
            for (ci, &k) in charts.hours_ci[c].iter_mut().zip(&hours) {
                let e = stats::poisson(k);
                *ci = (e.lo, e.hi);
            }
            let mut per_day = [0.0; 7];
            let mut weekday_counts = [0u64; 7];
            for (wd, row) in self.profile[c].iter().enumerate() {
                weekday_counts[wd] = row.iter().sum::<u64>();
                if days_of[wd] > 0 {
                    let e = stats::poisson(weekday_counts[wd]);
                    let d = days_of[wd] as f64;
                    per_day[wd] = weekday_counts[wd] as f64 / d;
                    charts.weekdays_ci[c][wd] = (e.lo / d, e.hi / d);
                }
            }
            charts.weekdays[c] = per_day;
            let from = format!(
                "{} {} leads",
                grouped(n),
                if c == 0 { "phone" } else { "written" }
            );
            let enough = n >= 200 && days_of.iter().all(|&d| d > 0);
            // Each weight's own interval, as a share: Wilson's for an hour's share of the
            // leads; for a weekday, its count's Poisson interval over the days, as a share
            // of the week's rates (the others held at their estimates).
            // The widest: its half-width in points, and the note that names it.
            let widest = |cis: Vec<(f64, f64, f64)>, label: &dyn Fn(usize) -> String| {
                let (i, half) = cis
                    .iter()
                    .map(|(_, lo, hi)| (hi - lo) / 2.0)
                    .enumerate()
                    .fold((0, 0.0), |b, (i, h)| if h > b.1 { (i, h) } else { b });
                (
                    half * 100.0,
                    format!(
                        "; each weight's 95% interval within ±{:.2} points (the widest, {}: {:.2}%, {:.2}-{:.2})",
                        half * 100.0,
                        label(i),
                        cis[i].0 * 100.0,
                        cis[i].1 * 100.0,
                        cis[i].2 * 100.0
                    ),
                )
            };
            let hour_cis: Vec<(f64, f64, f64)> = hours
                .iter()
                .map(|&k| {
                    let e = stats::share(k, n);
                    (e.value, e.lo, e.hi)
                })
                .collect();
            let rate_sum: f64 = per_day.iter().sum();
            let weekday_cis: Vec<(f64, f64, f64)> = (0..7)
                .map(|wd| {
                    let (lo, hi) = charts.weekdays_ci[c][wd];
                    let rest = rate_sum - per_day[wd];
                    let share = |r: f64| r / (r + rest).max(f64::MIN_POSITIVE);
                    (share(per_day[wd]), share(lo), share(hi))
                })
                .collect();
            let day_names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            let (hour_half, hour_note) = widest(hour_cis, &|i| format!("{i:02}:00"));
            let (weekday_half, weekday_note) = widest(weekday_cis, &|i| day_names[i].to_string());
            for (key, values) in [
                (
                    "hour_weights",
                    hours.iter().map(|&x| x as f64).collect::<Vec<f64>>(),
                ),
                ("weekday_weights", per_day.to_vec()),
            ] {
                let path = format!("demand.{name}_{key}");
                if !enough {
                    fits.push(kept(
                        &path,
                        from.clone(),
                        "kept: fewer than 200 leads, or a weekday never seen".into(),
                    ));
                    continue;
                }
                let sum: f64 = values.iter().sum();
                let pct: Vec<f64> = values.iter().map(|v| round(v / sum * 100.0, 2)).collect();
                let half = if key == "hour_weights" {
                    hour_half
                } else {
                    weekday_half
                };
                fits.push(Fit {
                    path,
                    estimate: None,
                    unit: "%",
                    from: format!("{from}, each weight ±{half:.2} points at most"),
                    how: if key == "hour_weights" {
                        format!("share of the channel's leads in each hour{hour_note}")
                    } else {
                        format!("leads per day of each weekday, as shares{weekday_note}")
                    },
                    write: Some(Value::List(pct, 2)),
                });
            }
        }
    }

    /// How many days of each weekday the data span.
    fn weekday_days(&self) -> [u64; 7] {
        let mut out = [0u64; 7];
        if let (Some(a), Some(b)) = (self.first, self.last) {
            for d in day(a)..=day(b) {
                out[Date::from_days_since_epoch(d).weekday().index()] += 1;
            }
        }
        out
    }

    fn phone(&self, fits: &mut Vec<Fit>, charts: &mut Charts, events: bool) {
        let from = format!(
            "{} calls waited, {} abandoned",
            grouped(self.queued),
            grouped(self.abandoned)
        );
        if self.abandoned >= MIN_RECORDS {
            let e = stats::censored_exponential_mean(self.abandoned, self.exposure);
            fits.push(Fit {
                path: "response.patience_seconds".into(),
                estimate: Some(e),
                unit: "s",
                from,
                how: "censored exponential (maximum likelihood: all waits over the abandoned; answered calls are censored); Kaplan-Meier beside it in calibration.html".into(),
                write: Some(Value::Exponential(round(e.value, 1))),
            });
            charts.patience = Some((
                stats::kaplan_meier(&self.km_events, &self.km_censored),
                e.value,
            ));
        } else {
            fits.push(kept(
                "response.patience_seconds",
                from,
                format!("kept: fewer than {MIN_RECORDS} abandoned calls with their wait"),
            ));
        }
        let known = self.after_abandon.iter().sum::<u64>();
        fits.push(share_fit(
            "response.callback_share",
            self.after_abandon[0],
            known,
            "abandoned calls with what came next",
            "share of abandoned callers who asked to be called back",
        ));
        fits.push(share_fit(
            "response.redial_share",
            self.after_abandon[1],
            self.after_abandon[1] + self.after_abandon[2],
            "abandoned calls without a callback request",
            "share of the other abandoned callers who called again",
        ));
        fits.push(share_fit(
            "response.missed_call_log_share",
            self.missed[0],
            self.missed[0] + self.missed[1],
            "calls missed out of hours",
            "share of out-of-hours calls logged and called back",
        ));
        let talk_from = format!(
            "{} answered calls with their talk time",
            grouped(self.talk.n)
        );
        let why = if events {
            "kept: the event log has no talk time (add a call log)".into()
        } else {
            format!("kept: fewer than {MIN_RECORDS} calls with a talk time")
        };
        let (f, _) = mean_fit(
            "qualification.handle_minutes",
            &self.talk,
            talk_from,
            "min",
            2,
            why,
        );
        fits.push(f);
    }

    fn response(&self, template: &Scenario, fits: &mut Vec<Fit>, charts: &mut Charts) {
        // Interest by delay: each preset's likelihood on the binned delays, against the
        // bins' own shares (the saturated model): the best preset is written unless the
        // deviance rejects it at 1%, then the data's own curve by bands.
        let n: u64 = self.decay.iter().map(|b| b[0] + b[1]).sum();
        let late: u64 = self.decay.iter().map(|b| b[1]).sum();
        let centre = |i: usize| (self.decay_bins.edge(i) + self.decay_bins.width() / 2.0).exp();
        let mut saturated = 0.0;
        let mut df: f64 = 0.0;
        for b in &self.decay {
            let m = b[0] + b[1];
            if m > 0 {
                df += 1.0;
                for k in b {
                    if *k > 0 {
                        saturated += *k as f64 * (*k as f64 / m as f64).ln();
                    }
                }
            }
        }
        let ll = |d: &Decay| -> f64 {
            self.decay
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let f = d.factor(centre(i)).clamp(1e-9, 1.0 - 1e-9);
                    b[0] as f64 * f.ln() + b[1] as f64 * (1.0 - f).ln()
                })
                .sum()
        };
        // Bands for the table and, when no preset fits, for the curve.
        let mut bands = Vec::new();
        let mut lo_edge = 0.0;
        for &upto in &BANDS {
            let (mut k, mut m, mut won) = (0, 0, 0);
            for (i, b) in self.decay.iter().enumerate() {
                let x = centre(i);
                if x > lo_edge && x <= upto {
                    k += b[0];
                    m += b[0] + b[1];
                    won += self.won_by_delay[i];
                }
            }
            bands.push(Band {
                upto,
                interested: stats::share(k, m),
                won: stats::share(won, m),
            });
            lo_edge = upto;
        }
        let from = format!(
            "{} first contacts after a delay, {} too late",
            grouped(n),
            grouped(late)
        );
        if n < 100 {
            fits.push(kept(
                "response.decay",
                from,
                "kept: fewer than 100 first contacts with a known outcome".into(),
            ));
            charts.decay = Some(("template".into(), template.response.decay.clone()));
        } else {
            let scored: Vec<(f64, &str)> = PRESETS.iter().map(|p| (ll(&preset(p)), *p)).collect();
            let (best_ll, best) =
                scored
                    .iter()
                    .copied()
                    .fold(
                        (f64::NEG_INFINITY, "none"),
                        |a, b| if b.0 > a.0 { b } else { a },
                    );
            let deviance = 2.0 * (saturated - best_ll);
            let p = stats::chi2_sf(deviance, df.max(1.0));
            if p >= 0.01 {
                fits.push(Fit {
                    path: "response.decay".into(),
                    estimate: None,
                    unit: "",
                    from,
                    how: format!(
                        "the preset of highest likelihood among {}; deviance {:.1} on {} bins (p = {:.2})",
                        PRESETS.join(", "),
                        deviance,
                        df,
                        p
                    ),
                    write: Some(Value::Text(best.into())),
                });
                charts.decay = Some((best.into(), preset(best)));
            } else {
                let used: Vec<&Band> = bands
                    .iter()
                    .filter(|b| b.interested.n >= MIN_RECORDS)
                    .collect();
                let ys: Vec<f64> = used.iter().map(|b| b.interested.value).collect();
                let ws: Vec<f64> = used.iter().map(|b| b.interested.n as f64).collect();
                let iso = stats::non_increasing(&ys, &ws);
                let mut points = Vec::new();
                let mut lo: f64 = 0.0;
                for (b, y) in bands
                    .iter()
                    .filter(|b| b.interested.n >= MIN_RECORDS)
                    .zip(iso)
                {
                    let x = if b.upto.is_finite() {
                        (lo.max(1.0) * b.upto).sqrt()
                    } else {
                        lo * 2.0
                    };
                    points.push((round(x, 0), round(y.clamp(0.01, 1.0), 3)));
                    lo = b.upto;
                }
                let base = points.first().map_or(1.0, |p| p.1);
                let points: Vec<(f64, f64)> = points
                    .into_iter()
                    .map(|(x, y)| (x, round((y / base).min(1.0), 3)))
                    .collect();
                fits.push(Fit {
                    path: "response.decay".into(),
                    estimate: None,
                    unit: "",
                    from,
                    how: format!(
                        "no preset fits (best: {best}, deviance {deviance:.1} on {df} bins, p = {p:.3}): the data's interest by delay band, made non-increasing and relative to the first band"
                    ),
                    write: Some(Value::Points(points.clone())),
                });
                charts.decay = Some(("data".into(), Decay::points(points)));
            }
        }
        charts.bands = bands;
        let median = quantile(&self.speed_to_lead, 0.5);
        let p95 = quantile(&self.speed_to_lead, 0.95);
        fits.push(Fit {
            path: "speed to lead (median)".into(),
            estimate: median.map(|m| Estimate {
                value: m,
                lo: m,
                hi: m,
                n: self.speed_to_lead.n,
            }),
            unit: "min",
            from: match p95 {
                Some(p) => format!(
                    "{} leads not answered live; 95th percentile {} min",
                    grouped(self.speed_to_lead.n),
                    super::write::shown(p)
                ),
                None => "no first contact after a delay in the data".into(),
            },
            how: "what the department did, read to bin width (13%): not a scenario figure".into(),
            write: None,
        });
    }

    fn qualification(&self, fits: &mut Vec<Fit>, events: bool) {
        fits.push(share_fit(
            "qualification.target_share",
            self.target,
            self.target + self.non_target,
            "inbound leads qualified",
            "share of first qualifications that found a target (Wilson)",
        ));
        if self.nurtured > 0 || events {
            fits.push(share_fit(
                "qualification.nurture_share",
                self.nurtured,
                self.non_target,
                "non-target leads",
                "share of non-target leads kept in nurture",
            ));
            // Returns, of leads nurtured at least a year before the data end (a later
            // return could not be seen).
            let end = self.last.map_or(0, day) - 365;
            let (k, n) = self
                .nurture_days
                .range(..=end)
                .fold((0, 0), |(k, n), (_, c)| (k + c[1], n + c[0]));
            fits.push(share_fit(
                "qualification.nurture_return_share",
                k,
                n,
                "leads nurtured a year or more before the data end",
                "share of them that came back and qualified",
            ));
        } else {
            fits.push(kept(
                "qualification.nurture_share",
                "0 nurtured leads".into(),
                "kept: the data do not mark nurture".into(),
            ));
        }
    }

    fn deals_fits(
        &self,
        template: &Scenario,
        fits: &mut Vec<Fit>,
        notes: &mut Vec<String>,
        charts: &mut Charts,
    ) {
        let names: Vec<&str> = template.segments.iter().map(|s| s.name.as_str()).collect();
        // Which data goes to which template segment.
        let per: Vec<Option<&SegmentData>> = self
            .matched_indices(&names)
            .into_iter()
            .map(|i| i.map(|i| self.seg(i)))
            .collect();
        let unknown: Vec<&str> = self
            .segment_names
            .iter()
            .filter(|n| !names.iter().any(|t| t.eq_ignore_ascii_case(n)))
            .map(String::as_str)
            .collect();
        let pooled_only = self.segment_names.is_empty();
        if pooled_only && names.len() > 1 {
            notes.push(format!(
                "The data do not name segments and the template has {} ({}): win rates, values and cycles are fitted over all deals for the table, and the template's per-segment figures are kept. Map a segment column to fit them.",
                names.len(),
                names.join(", ")
            ));
        }
        if !unknown.is_empty() {
            notes.push(format!(
                "Segments in the data that the template does not have: {}. Their deals are left out; name them as the template does ({}).",
                unknown.join(", "),
                names.join(", ")
            ));
        }
        // Shares, when every template segment is in the data.
        let opened: Vec<u64> = per.iter().map(|d| d.map_or(0, |d| d.opened)).collect();
        let total: u64 = opened.iter().sum();
        if names.len() > 1 && per.iter().all(Option::is_some) && total >= MIN_RECORDS {
            let mut shares: Vec<f64> = opened
                .iter()
                .map(|&k| round(k as f64 / total as f64, 3))
                .collect();
            let last = shares.len() - 1;
            shares[last] = round(1.0 - shares[..last].iter().sum::<f64>(), 3);
            // A segment with (almost) no deals cannot have a share of its own.
            let written = shares.iter().all(|&x| x > 0.0);
            for (i, name) in names.iter().enumerate() {
                let mut f = share_fit(
                    &format!("segments.{name}.share"),
                    opened[i],
                    total,
                    "inbound deals opened",
                    "share of the deals opened (the last made up to a sum of 1)",
                );
                f.write = written.then_some(Value::Number(shares[i], 3));
                if !written {
                    f.how = "kept: a segment has too few deals for the shares to sum to 1 with a share for each".into();
                }
                fits.push(f);
            }
        }
        let mut all = SegmentData::new();
        let mut outbound = [0u64; 2];
        for d in self.segments.iter().chain([&self.pooled]) {
            all.won += d.won;
            all.lost += d.lost;
            outbound[0] += d.outbound[0];
            outbound[1] += d.outbound[1];
        }
        let rows: Vec<(String, Option<&SegmentData>, bool)> = if pooled_only && names.len() > 1 {
            vec![("all deals".to_string(), Some(&self.pooled), false)]
        } else {
            names
                .iter()
                .zip(&per)
                .map(|(n, d)| (n.to_string(), *d, true))
                .collect()
        };
        for (name, d, write) in rows {
            let prefix = format!("segments.{name}");
            let Some(d) = d else {
                fits.push(kept(
                    &prefix,
                    "no deals".into(),
                    "kept: no deals of this segment in the data".into(),
                ));
                continue;
            };
            let mut f = share_fit(
                &format!("{prefix}.win_probability"),
                d.won,
                d.won + d.lost,
                "inbound deals decided",
                "won over decided (a deal gone cold or still open is not decided)",
            );
            if !write {
                f.write = None;
            }
            fits.push(f);
            let value_from = format!("{} won deals with an amount", grouped(d.value.n));
            let (mut f, fit) = mean_fit(
                &format!("{prefix}.deal_value"),
                &d.value,
                value_from,
                "money",
                0,
                format!("kept: fewer than {MIN_RECORDS} won deals with an amount"),
            );
            if !write {
                f.write = None;
            }
            fits.push(f);
            if let Some(fit) = fit {
                charts.values.push((name.clone(), d.value.clone(), fit));
            }
            let template_touches = template
                .segments
                .iter()
                .find(|s| s.name == name)
                .map_or(1, |s| s.touches);
            let mut f = touches_fit(&prefix, d.touches);
            if !write {
                f.write = None;
            }
            // The cycle is read with the touches written.
            let touches = f
                .write
                .as_ref()
                .and_then(Value::main)
                .map_or(template_touches, |x| x as u32);
            fits.push(f);
            let mut censored = d.cycle_censored.clone();
            if let Some(last) = self.last {
                for (&start, &k) in &d.open_from {
                    let days = ((day(last) - start) as f64).max(1e-3);
                    for _ in 0..k {
                        censored.add(days);
                    }
                }
            }
            let cycle_from = format!(
                "{} deals decided, {} cold or open",
                grouped(d.cycle.n),
                grouped(censored.n)
            );
            let fit =
                stats::censored_lognormal(&d.cycle, &censored).filter(|_| d.cycle.n >= MIN_RECORDS);
            match fit {
                Some(fit) if touches >= 2 || !write => {
                    // Touches are spread evenly over the cycle and the decision follows
                    // the last: a deal takes (touches - 1) / touches of its cycle.
                    let stretch = if write {
                        f64::from(touches) / f64::from(touches - 1)
                    } else {
                        1.0
                    };
                    let median = fit.median().scaled(stretch);
                    fits.push(Fit {
                        path: format!("{prefix}.cycle_days"),
                        estimate: Some(median),
                        unit: "days",
                        from: cycle_from,
                        how: format!(
                            "lognormal fitted to days from deal start to decision, cold and open deals censored; median and cv {:.2}{}",
                            fit.cv(),
                            if write && touches >= 2 {
                                format!("; x{touches}/{} for the template's {touches} touches spread over the cycle", touches - 1)
                            } else {
                                String::new()
                            }
                        ),
                        write: write.then(|| Value::LognormalMedian(round(median.value, 1), round(fit.cv(), 2))),
                    });
                    charts.cycles.push((name.clone(), d.cycle.clone(), fit));
                }
                Some(_) => fits.push(kept(
                    &format!("{prefix}.cycle_days"),
                    cycle_from,
                    "kept: one touch, so the cycle does not set when the deal is decided".into(),
                )),
                None => fits.push(kept(
                    &format!("{prefix}.cycle_days"),
                    cycle_from,
                    format!("kept: fewer than {MIN_RECORDS} deals decided"),
                )),
            }
        }
        // Cold-calling deals against inbound ones.
        let (ko, no) = (outbound[0], outbound[0] + outbound[1]);
        let (ki, ni) = (all.won, all.won + all.lost);
        if no >= MIN_RECORDS && ni >= MIN_RECORDS && ko > 0 && ki > 0 {
            let r = (ko as f64 / no as f64) / (ki as f64 / ni as f64);
            let se = (1.0 / ko as f64 - 1.0 / no as f64 + 1.0 / ki as f64 - 1.0 / ni as f64)
                .max(0.0)
                .sqrt();
            fits.push(Fit {
                path: "outbound.win_factor".into(),
                estimate: Some(Estimate {
                    value: r,
                    lo: (r.ln() - stats::Z95 * se).exp(),
                    hi: (r.ln() + stats::Z95 * se).exp(),
                    n: no,
                }),
                unit: "",
                from: format!("{} cold-calling deals decided", grouped(no)),
                how: "their win rate over the inbound deals' (log-ratio interval)".into(),
                write: Some(Value::Number(round(r, 3), 3)),
            });
        } else {
            fits.push(kept(
                "outbound.win_factor",
                format!("{} cold-calling deals decided", grouped(no)),
                format!("kept: fewer than {MIN_RECORDS} cold-calling deals decided"),
            ));
        }
    }

    /// The data segment (index; the segments' count for deals with none) that each of
    /// the template's segments `names` reads: by name, or the unnamed deals when the
    /// template has a single segment and the data name none.
    fn matched_indices(&self, names: &[&str]) -> Vec<Option<usize>> {
        let mut per: Vec<Option<usize>> = names
            .iter()
            .map(|t| {
                self.segment_names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(t))
            })
            .collect();
        if self.segment_names.is_empty() && names.len() == 1 {
            per[0] = Some(self.segments.len());
        }
        per
    }

    fn seg(&self, i: usize) -> &SegmentData {
        self.segments.get(i).unwrap_or(&self.pooled)
    }

    /// Days between a client's consecutive orders, by data segment (the unnamed last):
    /// ended gaps, and the open gap from the last order to the data's end, censored.
    fn gaps(&self) -> Vec<(LogHistogram, LogHistogram)> {
        let new = || LogHistogram::new(1e-3, 1e4, 10);
        let mut out: Vec<(LogHistogram, LogHistogram)> =
            (0..=self.segments.len()).map(|_| (new(), new())).collect();
        let end = self.last.map_or(0, |l| l.div_euclid(60));
        // A fixed order of clients, so that the fits do not depend on the map's.
        let mut ids: Vec<&u64> = self.clients.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let (segment, times) = &self.clients[id];
            let k = segment.map_or(self.segments.len(), usize::from);
            let mut t = times.clone();
            t.sort_unstable();
            for w in t.windows(2) {
                out[k].0.add((f64::from(w[1] - w[0]) / 1440.0).max(1e-3));
            }
            if let Some(&last) = t.last() {
                out[k]
                    .1
                    .add(((end - i64::from(last)) as f64 / 1440.0).max(1e-3));
            }
        }
        out
    }

    /// Of the clients who ordered in the data's first twelve full months, the share who
    /// ordered in the next twelve (needs 24 full months).
    pub fn retention(&self) -> Option<Estimate> {
        self.retention_by(1, |_| 0).pop().flatten()
    }

    /// [`Self::retention`] for each of `groups` groups of clients, `of` giving a
    /// client's group from its id.
    pub fn retention_by(&self, groups: usize, of: impl Fn(u64) -> usize) -> Vec<Option<Estimate>> {
        let full = self.full_months();
        if full.len() < 24 {
            return vec![None; groups];
        }
        let minute = |d: Date| (d.days_since_epoch() * 1440) as i32;
        let a = minute(full[0].0);
        let b = minute(full[12].0);
        let c = minute(full[23].0.add_months(1));
        let mut counts = vec![(0u64, 0u64); groups];
        for (id, (_, times)) in &self.clients {
            if times.iter().any(|&t| (a..b).contains(&t)) {
                let g = &mut counts[of(*id).min(groups - 1)];
                g.1 += 1;
                g.0 += u64::from(times.iter().any(|&t| (b..c).contains(&t)));
            }
        }
        counts
            .into_iter()
            .map(|(stayed, ordered)| {
                (ordered >= MIN_RECORDS).then(|| stats::share(stayed, ordered))
            })
            .collect()
    }

    /// Deals won and clients gained over the newcomers' window, per data segment (the
    /// unnamed last): the last `months` full months after the first twelve (the clients
    /// already on the books have ordered by then), 24 at most, 6 at least. A client is
    /// gained in the window when their first order falls in it; the wins are those
    /// decided in it. Both are read the same way in a simulation over a window as long,
    /// so that the clients gained from wins before the window, and the wins whose
    /// clients order after it, weigh the same in both.
    pub fn newcomers(&self) -> Option<Newcomers> {
        let full = self.full_months();
        let months = self
            .newcomer_months
            .unwrap_or_else(|| full.len().saturating_sub(12).min(24));
        if months < 6 || full.len() < 12 + months {
            return None;
        }
        let (from, to) = (
            full[full.len() - months].0.days_since_epoch(),
            full[full.len() - 1].0.add_months(1).days_since_epoch(),
        );
        let mut out: Vec<(u64, u64)> = (0..=self.segments.len())
            .map(|k| {
                let d = self.seg(k);
                (d.won_days.range(from..to).map(|(_, n)| n).sum(), 0)
            })
            .collect();
        for (segment, times) in self.clients.values() {
            let first = times
                .iter()
                .min()
                .map_or(i64::MIN, |&t| i64::from(t) / 1440);
            if (from..to).contains(&first) {
                out[segment.map_or(self.segments.len(), usize::from)].1 += 1;
            }
        }
        Some((months, out))
    }

    /// Dormancies and comebacks: a client goes dormant when no order follows one for the
    /// template's `dormant_after_days`; of the dormancies followed by the template's
    /// write-off period (365 days without one) before the data end, those after which
    /// the client ordered again within that period. The template's threshold is the
    /// company's own definition of dormant, not a figure the data tell.
    pub fn comebacks(&self, template: &Scenario) -> Option<(u64, u64)> {
        let minutes = |t: crate::engine::Time| (t.0 / 60_000) as i64;
        let dormant = minutes(template.clients.dormant_after);
        let window = template
            .clients
            .written_off_after
            .map_or(365 * 1440, minutes);
        let end = self.last?.div_euclid(60);
        let (mut went, mut back) = (0, 0);
        for (_, times) in self.clients.values() {
            let mut t = times.clone();
            t.sort_unstable();
            for (i, &at) in t.iter().enumerate() {
                let next = t.get(i + 1).map(|&n| i64::from(n));
                let from = i64::from(at) + dormant;
                if next.is_some_and(|n| n <= from) || from + window > end {
                    continue;
                }
                went += 1;
                back += u64::from(next.is_some_and(|n| n <= from + window));
            }
        }
        Some((went, back))
    }

    /// [`Self::newcomers`] (`newcomers`) for each of the template's segments.
    fn newcomers_of(
        &self,
        template: &Scenario,
        newcomers: &Option<Newcomers>,
    ) -> Vec<(String, Option<(u64, u64)>)> {
        let names: Vec<&str> = template.segments.iter().map(|s| s.name.as_str()).collect();
        let counts = newcomers.as_ref().map(|(_, c)| c);
        names
            .iter()
            .zip(self.matched_indices(&names))
            .map(|(name, i)| {
                let c = counts.as_ref().zip(i).map(|(c, i)| c[i]);
                (name.to_string(), c)
            })
            .collect()
    }

    /// The client base's fits, with the newcomers and comebacks already counted.
    fn base_fits(
        &self,
        template: &Scenario,
        (newcomers, comebacks): (&Option<Newcomers>, Option<(u64, u64)>),
        fits: &mut Vec<Fit>,
        charts: &mut Charts,
    ) {
        let names: Vec<&str> = template.segments.iter().map(|s| s.name.as_str()).collect();
        let gaps = self.gaps();
        for (name, i) in names.iter().zip(self.matched_indices(&names)) {
            let prefix = format!("segments.{name}");
            let Some(i) = i else {
                fits.push(kept(
                    &format!("{prefix}.repeat_value"),
                    "no orders".into(),
                    "kept: no orders of this segment in the data".into(),
                ));
                continue;
            };
            let d = self.seg(i);
            let from = format!("{} repeat orders with an amount", grouped(d.order_value.n));
            let (mut f, fit) = mean_fit(
                &format!("{prefix}.repeat_value"),
                &d.order_value,
                from,
                "money",
                0,
                format!("kept: fewer than {MIN_RECORDS} repeat orders with an amount"),
            );
            f.how = f.how.replace(
                "lognormal (moments of ln)",
                "lognormal (moments of ln) of the orders",
            );
            fits.push(f);
            if let Some(fit) = fit {
                charts
                    .orders
                    .push((name.to_string(), d.order_value.clone(), fit));
            }
            let share = template
                .segments
                .iter()
                .find(|s| s.name == *name)
                .map_or(0.5, |s| s.repeat_share);
            fits.push(self.repeat_share_fit(&prefix, i, share, newcomers));
            let (ended, censored) = &gaps[i];
            let from = format!(
                "{} gaps between a client's orders, {} still open",
                grouped(ended.n),
                grouped(censored.n)
            );
            match stats::censored_lognormal(ended, censored).filter(|_| ended.n >= MIN_RECORDS) {
                Some(fit) => {
                    let median = fit.median();
                    fits.push(Fit {
                        path: format!("{prefix}.reorder_days"),
                        estimate: Some(median),
                        unit: "days",
                        from,
                        how: format!("lognormal fitted to the days between a client's orders, the last gap censored; median and cv {:.2}", fit.cv()),
                        write: Some(Value::LognormalMedian(round(median.value, 1), round(fit.cv(), 2))),
                    });
                    charts.gaps.push((name.to_string(), ended.clone(), fit));
                }
                None => fits.push(kept(
                    &format!("{prefix}.reorder_days"),
                    from,
                    format!("kept: fewer than {MIN_RECORDS} gaps between orders"),
                )),
            }
        }
        fits.push(comeback_fit(template, comebacks));
        match self.retention() {
            Some(r) => fits.push(Fit {
                path: "clients.annual_churn".into(),
                estimate: None,
                unit: "",
                from: format!("{} clients who ordered in the first 12 full months", grouped(r.n)),
                how: format!("{:.1}% of them ordered in the next 12", r.value * 100.0),
                write: Some(Value::Number(template.clients.annual_churn, 3)),
            }),
            None => fits.push(kept(
                "clients.annual_churn",
                format!("{} clients' orders", grouped(self.clients.len() as u64)),
                format!("kept: needs 24 full months of orders and {MIN_RECORDS} clients ordering in the first 12"),
            )),
        }
    }
}

impl Accumulator {
    /// A segment's repeat share, to be fitted through the model from the clients it
    /// gains per deal won (`template`: the value the search starts from).
    fn repeat_share_fit(
        &self,
        prefix: &str,
        i: usize,
        template: f64,
        newcomers: &Option<Newcomers>,
    ) -> Fit {
        let path = format!("{prefix}.repeat_share");
        let Some((months, counts)) = newcomers else {
            return kept(
                &path,
                format!("{} full months", self.full_months().len()),
                "kept: needs 18 full months (a year for the clients on the books to order, and six more)".into(),
            );
        };
        let (won, new) = counts[i];
        let from = format!(
            "{} deals won and {} clients gained in the last {months} full months",
            grouped(won),
            grouped(new)
        );
        if won < MIN_RECORDS || new < MIN_NEWCOMERS {
            return kept(
                &path,
                from,
                format!(
                    "kept: fewer than {MIN_RECORDS} deals won or {MIN_NEWCOMERS} clients gained"
                ),
            );
        }
        Fit {
            path,
            estimate: None,
            unit: "",
            from,
            how: format!("{:.2} clients gained per deal won", new as f64 / won as f64),
            // A template without repeat clients starts the search from the data's ratio.
            write: Some(Value::Number(
                if template >= 0.01 {
                    template
                } else {
                    round((new as f64 / won as f64).clamp(0.01, 0.99), 3)
                },
                3,
            )),
        }
    }
}

/// The reactivation success, to be fitted through the model from the share of dormant
/// clients who order again ([`Accumulator::comebacks`]: `comebacks`).
fn comeback_fit(template: &Scenario, comebacks: Option<(u64, u64)>) -> Fit {
    let path = "clients.reactivation_success";
    let c = &template.clients;
    let Some((went, back)) = comebacks else {
        return kept(
            path,
            "no orders".into(),
            "kept: no orders in the data".into(),
        );
    };
    let from = format!(
        "{} clients gone dormant, {} of them ordering again",
        grouped(went),
        grouped(back)
    );
    if c.reactivation_attempts == 0 {
        return kept(
            path,
            from,
            "kept: the template's department makes no reactivation attempts".into(),
        );
    }
    if went < MIN_RECORDS || back < MIN_NEWCOMERS {
        return kept(
            path,
            from,
            format!("kept: fewer than {MIN_RECORDS} dormancies followed for a write-off period, or {MIN_NEWCOMERS} comebacks"),
        );
    }
    Fit {
        path: path.into(),
        estimate: None,
        unit: "",
        from,
        how: format!(
            "{:.1}% of dormant clients ordered again",
            back as f64 / went as f64 * 100.0
        ),
        write: Some(Value::Number(c.reactivation_success.max(0.01), 3)),
    }
}

/// The newcomers' window in months, and per data segment (the unnamed last) the deals
/// won and the clients gained in it.
pub type Newcomers = (usize, Vec<(u64, u64)>);

/// Fewest clients gained a repeat share is fitted from.
const MIN_NEWCOMERS: u64 = 10;

/// The `q` quantile of a histogram's values (at the upper edge of its bin).
fn quantile(h: &LogHistogram, q: f64) -> Option<f64> {
    if h.n == 0 {
        return None;
    }
    let target = (q * h.n as f64).ceil() as u64;
    let mut below = 0;
    for (i, &c) in h.bins.iter().enumerate() {
        below += c;
        if below >= target.max(1) {
            return Some(h.edge(i + 1).exp());
        }
    }
    None
}
