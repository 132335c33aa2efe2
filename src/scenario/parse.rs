//! Building a [`Scenario`] from TOML text, section by section.

use toml::{Table, Value};

use super::reader::{join, Problem, Range, Reader};
use super::roles::{self, Hours};
use super::*;
use crate::engine::Date;

/// Limits that catch absurd sizes before they eat the machine.
const MAX_MONTHS: i64 = 120;
/// The most inbound leads in a month: one replication at this rate takes about 1.1 GB
/// and 7 s (measured on the default scenario), so two in parallel fit a small machine.
const MAX_LEADS_PER_MONTH: f64 = 1_000_000.0;
/// The most clients at the start: about 0.7 GB per replication at this size.
const MAX_CLIENTS: i64 = 1_000_000;

pub(super) fn table(text: &str) -> Result<Table, Vec<Problem>> {
    text.parse().map_err(|e: toml::de::Error| {
        vec![Problem {
            path: String::new(),
            rule: format!("not valid TOML: {}", e.to_string().trim_end()),
        }]
    })
}

pub(super) fn scenario(table: &Table) -> Result<Scenario, Vec<Problem>> {
    let mut r = Reader::default();
    let s = read(&mut r, table);
    r.finish();
    if s.is_none() && r.problems.is_empty() {
        // Every refusal names its field; reaching here is a reader that forgot to.
        r.problem(
            "",
            "the scenario could not be read (a bug: please report it with the file)",
        );
    }
    match s {
        Some(s) if r.problems.is_empty() => Ok(s),
        _ => Err(r.problems),
    }
}

fn read(r: &mut Reader, t: &Table) -> Option<Scenario> {
    r.open(t, "");
    let name = r
        .opt_string(t, "", "name")
        .flatten()
        .unwrap_or_else(|| "scenario".into());
    let seed = r.int_or(t, "", "seed", 0, i64::MAX, 1) as u64;
    let start = start_date(r, t);
    let months = r.int(t, "", "horizon_months", 1, MAX_MONTHS);
    let currency = currency(r, t);
    let lang = lang(r, t);
    let gross_margin = {
        let e = r.table(t, "", "economics");
        e.and_then(|e| {
            r.open(e, "economics");
            r.number(e, "economics", "gross_margin", Range::Share)
        })
    };
    let (cal_hours, holidays) = calendar(r, t);
    let calendar = match (start, months) {
        (Some(s), Some(m)) => Some(Calendar::new(s, m as u32, &holidays)),
        _ => None,
    };
    // With no valid calendar, the sections that depend on it are still checked against a
    // year from the default start, so that every problem is reported in one go.
    let fallback;
    let cal_for_checks = match &calendar {
        Some(c) => c,
        None => {
            let start = start.unwrap_or(Date {
                year: 2026,
                month: 1,
                day: 1,
            });
            fallback = Calendar::new(start, 12, &holidays);
            &fallback
        }
    };
    let demand = demand(r, t, cal_for_checks);
    let response = response(r, t);
    let qualification = qualification(r, t);
    let outbound = outbound(r, t);
    let segments = segments(r, t);
    // Due windows are read in working days of the office; one is its mean working day.
    let (office, day) = match &cal_hours {
        Some(h) => roles::office(h),
        None => (
            crate::engine::WeekPlan::new(Default::default()),
            Time::from_hours(8.0),
        ),
    };
    let paperwork = paperwork(r, t, day);
    let clients = clients(r, t, day);
    let dispatch = dispatch(r, t);
    let use_presets = match r.get(t, "use_presets") {
        None => true,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => {
            r.problem("use_presets", "expected true or false");
            true
        }
    };
    let want = r.opt_string(t, "", "structure").flatten();
    // Read by the experiment layer.
    r.elsewhere(t, &super::EXPERIMENT_TABLES);
    let structures = cal_hours
        .as_ref()
        .and_then(|h| roles::structures(r, t, cal_for_checks, h, use_presets));
    let default_structure = structures.as_ref().and_then(|s| {
        let want = want?;
        let i = s.iter().position(|x| x.name == want);
        if i.is_none() {
            let names: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
            r.problem(
                "structure",
                format!("no structure named {want:?}; known: {}", names.join(", ")),
            );
        }
        i
    });
    let office_clock = calendar
        .as_ref()
        .map(|c| crate::engine::WorkClock::new(c, &office))
        .unwrap_or_default();
    let sc = Scenario {
        name,
        seed,
        currency: currency?,
        lang: lang?,
        calendar: calendar?,
        office,
        office_clock,
        demand: demand?,
        response: response?,
        qualification: qualification?,
        outbound: outbound?,
        segments: segments?,
        paperwork: paperwork?,
        clients: clients?,
        dispatch: dispatch?,
        gross_margin: gross_margin?,
        structures: structures?,
        default_structure: default_structure.unwrap_or(0),
    };
    for s in &sc.structures {
        coverage(r, &sc, s);
    }
    Some(sc)
}

/// Every kind of work the scenario's leads and clients need has someone to do it, and the
/// roles that own deals and clients are staffed in every month.
fn coverage(r: &mut Reader, sc: &Scenario, s: &crate::structure::Structure) {
    use crate::model::WorkKind as K;
    let q = &sc.qualification;
    let prospects = sc.outbound.finds_leads() && s.roles.iter().any(|x| x.does(K::Prospecting));
    let deals = q.target_share > 0.0 || q.nurture_share * q.nurture_return_share > 0.0 || prospects;
    let wins = deals && sc.segments.iter().any(|g| g.win_probability > 0.0);
    let clients =
        sc.clients.initial_active > 0 || (wins && sc.segments.iter().any(|g| g.repeat_share > 0.0));
    let cares = clients && sc.clients.tiers.iter().any(|t| t.care_every.is_some());
    let d = &sc.demand;
    let needs = [
        (K::InboundCall, d.phone_share > 0.0, "phone leads arrive"),
        (
            K::LeadCall,
            d.phone_share < 1.0 || sc.response.callback_share > 0.0,
            "written leads and callback requests arrive",
        ),
        (K::Contract, wins, "deals can be won"),
        (K::OrderEntry, clients, "clients place repeat orders"),
    ];
    let collects = clients && sc.segments.iter().any(|g| g.collected_share > 0.0);
    let calls = clients && sc.clients.calls_per_year > 0.0;
    let path = format!("structures.{}", s.name);
    for (kind, needed, why) in needs {
        if needed && !s.roles.iter().any(|x| x.does(kind)) {
            r.problem(
                path.clone(),
                format!("nobody does {kind}, but {why}; add it to some role's works"),
            );
        }
    }
    let owner_needs = [
        (
            s.deal_owner,
            K::DealTouch,
            deals,
            "deal_owner",
            "deals open",
        ),
        (
            s.client_owner,
            K::Care,
            cares,
            "client_owner",
            "client tiers have a care cadence",
        ),
        (
            s.client_owner,
            K::Collection,
            collects,
            "client_owner",
            "a segment's collected_share is above 0 (its orders wait for a call)",
        ),
        (
            s.client_owner,
            K::ClientCall,
            calls,
            "client_owner",
            "clients.calls_per_client_per_year is above 0",
        ),
    ];
    for (role, kind, needed, key, why) in owner_needs {
        let role = &s.roles[role];
        if needed && !role.does(kind) {
            r.problem(
                format!("{path}.{key}"),
                format!("{} does not do {kind}, but {why}", role.name),
            );
        }
    }
    let owners = [
        (s.deal_owner, deals, "deal_owner"),
        (s.client_owner, clients, "client_owner"),
    ];
    for (role, staffed, key) in owners {
        let role = &s.roles[role];
        if let Some(m) = role.count.iter().position(|&c| c == 0).filter(|_| staffed) {
            r.problem(
                format!("{path}.roles.{}.count", role.name),
                format!(
                    "the {key} role needs at least one person in every month; month {} has none",
                    m + 1
                ),
            );
        }
    }
}

fn start_date(r: &mut Reader, t: &Table) -> Option<Date> {
    let v = r.get(t, "start");
    let text = match v {
        None => return Some(Date::new(2026, 1, 1).expect("valid")),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Datetime(d)) => d.to_string(),
        Some(other) => {
            r.problem(
                "start",
                format!(
                    "expected the first day of a month, YYYY-MM-01, found {}",
                    super::reader::type_name(other)
                ),
            );
            return None;
        }
    };
    match Date::parse(&text) {
        Some(d) if d.day == 1 => Some(d),
        Some(_) => {
            r.problem(
                "start",
                format!("must be the first day of a month, found {text}"),
            );
            None
        }
        None => {
            r.problem(
                "start",
                format!("expected a date YYYY-MM-DD, found {text:?}"),
            );
            None
        }
    }
}

fn currency(r: &mut Reader, t: &Table) -> Option<String> {
    let c = r
        .opt_string(t, "", "currency")?
        .unwrap_or_else(|| "usd".into());
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        Some(c.to_ascii_lowercase())
    } else {
        r.problem(
            "currency",
            format!("expected a three-letter code such as usd, found {c:?}"),
        );
        None
    }
}

fn lang(r: &mut Reader, t: &Table) -> Option<super::Lang> {
    let code = r.opt_string(t, "", "lang")?;
    match code {
        None => Some(super::Lang::En),
        Some(c) => super::Lang::parse(&c).or_else(|| {
            r.problem(
                "lang",
                format!(
                    "expected one of {}, found {c:?}",
                    super::Lang::CODES.join(", ")
                ),
            );
            None
        }),
    }
}

/// The office's working hours (the default for every role) and the holidays.
fn calendar(r: &mut Reader, t: &Table) -> (Option<Hours>, Vec<Date>) {
    let Some(c) = r.table(t, "", "calendar") else {
        return (None, vec![]);
    };
    r.open(c, "calendar");
    let hours = roles::hours(r, c, "calendar");
    let mut holidays = vec![];
    if let Some(v) = r.get(c, "holidays") {
        if let Some(list) = r.list_value(v, "calendar.holidays".into()) {
            for (i, h) in list.iter().enumerate() {
                let path = format!("calendar.holidays[{i}]");
                let text = match h {
                    Value::Datetime(d) => Some(d.to_string()),
                    other => r.string_value(other, path.clone()),
                };
                match text.as_deref().map(Date::parse) {
                    Some(Some(d)) => holidays.push(d),
                    Some(None) => r.problem(path, "expected a date YYYY-MM-DD"),
                    None => {}
                }
            }
        }
    }
    (hours, holidays)
}

fn normalised<const N: usize>(
    r: &mut Reader,
    v: Option<&Value>,
    path: &str,
    default: [f64; N],
) -> Option<[f64; N]> {
    let xs = match v {
        None => default.to_vec(),
        Some(v) => r.numbers(v, path.into(), Range::NonNeg, Some(N))?,
    };
    let sum: f64 = xs.iter().sum();
    if sum <= 0.0 {
        r.problem(path, "weights must not all be zero");
        return None;
    }
    let mut out = [0.0; N];
    for (o, x) in out.iter_mut().zip(&xs) {
        *o = x / sum;
    }
    Some(out)
}

fn demand(r: &mut Reader, t: &Table, cal: &Calendar) -> Option<Demand> {
    let p = "demand";
    let d = r.table(t, "", p)?;
    r.open(d, p);
    let inbound = r.get(d, "inbound_per_month");
    let base = r.get(d, "base_per_month");
    let seasonality = r.get(d, "seasonality");
    let per_month = match (inbound, base) {
        (Some(v), None) => {
            if seasonality.is_some() {
                r.problem(
                    join(p, "seasonality"),
                    "goes with base_per_month, not with inbound_per_month",
                );
            }
            r.monthly(
                v,
                join(p, "inbound_per_month"),
                cal,
                Range::Within(0.0, MAX_LEADS_PER_MONTH),
            )
        }
        (None, Some(_)) => {
            let base = r.number(
                d,
                p,
                "base_per_month",
                Range::Within(0.0, MAX_LEADS_PER_MONTH),
            );
            let season = match seasonality {
                Some(v) => r.monthly(v, join(p, "seasonality"), cal, Range::Within(0.0, 1000.0)),
                None => Some(vec![1.0; cal.months()]),
            };
            // No `?` here: the fields after this one must still be read and checked.
            let xs: Option<Vec<f64>> = base
                .zip(season)
                .map(|(b, s)| s.iter().map(|x| x * b).collect());
            match xs
                .as_ref()
                .and_then(|xs| xs.iter().find(|&&x| x > MAX_LEADS_PER_MONTH))
            {
                Some(x) => {
                    r.problem(
                        join(p, "seasonality"),
                        format!(
                            "gives {x} leads in a month; at most {MAX_LEADS_PER_MONTH} are allowed"
                        ),
                    );
                    None
                }
                None => xs,
            }
        }
        _ => {
            r.problem(p, "give exactly one of inbound_per_month (a list) or base_per_month (with seasonality)");
            None
        }
    };
    let weekdays = r.get(d, "weekday_weights");
    let weekday = normalised(r, weekdays, "demand.weekday_weights", [1.0; 7]);
    let hours = r.get(d, "hour_weights");
    let hour = normalised(r, hours, "demand.hour_weights", [1.0; 24]);
    // Each channel may arrive on a profile of its own; the shared one is its default.
    let mut channel = |name: &str| -> Option<Profile> {
        let wk = format!("{name}_weekday_weights");
        let hk = format!("{name}_hour_weights");
        let weekday = match r.get(d, &wk) {
            None => weekday,
            Some(v) => normalised(r, Some(v), &join(p, &wk), [1.0; 7]),
        };
        let hour = match r.get(d, &hk) {
            None => hour,
            Some(v) => normalised(r, Some(v), &join(p, &hk), [1.0; 24]),
        };
        Some(Profile {
            weekday: weekday?,
            hour: hour?,
        })
    };
    let phone = channel("phone");
    let written = channel("written");
    let phone_share = r.number(d, p, "phone_share", Range::Share);
    let scale = r.number_or(d, p, "scale", Range::Within(0.0, 1000.0), 1.0);
    let per_month = per_month.map(|v| v.into_iter().map(|x| x * scale).collect::<Vec<f64>>());
    if let Some(x) = per_month
        .as_ref()
        .and_then(|v| v.iter().find(|&&x| x > MAX_LEADS_PER_MONTH))
    {
        r.problem(
            join(p, "scale"),
            format!("gives {x} leads in a month; at most {MAX_LEADS_PER_MONTH} are allowed"),
        );
    }
    Some(Demand {
        per_month: per_month?,
        phone: phone?,
        written: written?,
        phone_share: phone_share?,
    })
}

fn decay(r: &mut Reader, t: &Table, p: &str) -> Option<Decay> {
    match r.get(t, "decay") {
        None => Some(Decay::Mild),
        Some(Value::String(s)) => match s.as_str() {
            "mild" => Some(Decay::Mild),
            "severe" => Some(Decay::severe()),
            "extreme" => Some(Decay::extreme()),
            "b2b" => Some(Decay::b2b()),
            "none" => Some(Decay::None),
            other => {
                r.problem(join(p, "decay"), format!("unknown preset {other:?}; expected b2b, mild, severe, extreme, none, or a list of [minutes, factor] points"));
                None
            }
        },
        Some(v) => {
            let path = join(p, "decay");
            let list = r.list_value(v, path.clone())?;
            let mut pts = vec![];
            for (i, pt) in list.iter().enumerate() {
                let xs = r.numbers(pt, format!("{path}[{i}]"), Range::NonNeg, Some(2))?;
                if xs[1] <= 0.0 || xs[1] > 1.0 {
                    r.problem(
                        format!("{path}[{i}]"),
                        format!("factor must be in (0, 1], found {}", xs[1]),
                    );
                    return None;
                }
                pts.push((xs[0], xs[1]));
            }
            if pts.is_empty() || pts.windows(2).any(|w| w[1].0 <= w[0].0) {
                r.problem(
                    path,
                    "points must be non-empty with strictly increasing minutes",
                );
                return None;
            }
            Some(Decay::points(pts))
        }
    }
}

fn response(r: &mut Reader, t: &Table) -> Option<Response> {
    let p = "response";
    let s = r.table(t, "", p)?;
    r.open(s, p);
    let patience_seconds = r.dist(s, p, "patience_seconds");
    let callback_share = r.number(s, p, "callback_share", Range::Share);
    let missed_call_log = r.opt_number(s, p, "missed_call_log_share", Range::Share);
    let redial_share = r.number_or(s, p, "redial_share", Range::Share, 0.0);
    let redial_minutes = r.dist_or(s, p, "redial_minutes", Dist::Exponential { mean: 10.0 });
    let sl = r.number_or(s, p, "service_level_seconds", Range::NonNeg, 20.0);
    let decay = decay(r, s, p);
    let max_attempts = r.int(s, p, "max_attempts", 1, 50);
    let reach = r.number(s, p, "reach_probability", Range::Within(1e-6, 1.0));
    let attempt = r.dist(s, p, "attempt_minutes");
    let spacing = match r.get(s, "attempt_spacing_minutes") {
        None => {
            r.problem(join(p, "attempt_spacing_minutes"), "missing");
            None
        }
        Some(v @ Value::Array(_)) => {
            let xs = r.numbers(v, join(p, "attempt_spacing_minutes"), Range::NonNeg, None)?;
            if xs.is_empty() {
                r.problem(
                    join(p, "attempt_spacing_minutes"),
                    "needs at least one value",
                );
                None
            } else {
                Some(xs.into_iter().map(Time::from_minutes).collect())
            }
        }
        Some(v) => r
            .number_value(v, join(p, "attempt_spacing_minutes"), Range::NonNeg)
            .map(|x| vec![Time::from_minutes(x)]),
    };
    Some(Response {
        patience_seconds: patience_seconds?,
        callback_share: callback_share?,
        missed_call_log: missed_call_log?,
        redial_share,
        redial_minutes: redial_minutes?,
        service_level: Time::from_secs(sl),
        decay: decay?,
        max_attempts: max_attempts? as u32,
        reach_probability: reach?,
        attempt_minutes: attempt?,
        spacing: spacing?,
    })
}

fn qualification(r: &mut Reader, t: &Table) -> Option<Qualification> {
    let p = "qualification";
    let q = r.table(t, "", p)?;
    r.open(q, p);
    let handle = r.dist(q, p, "handle_minutes");
    let target = r.number(q, p, "target_share", Range::Share);
    let nurture = r.number_or(q, p, "nurture_share", Range::Share, 0.0);
    let ret = r.number_or(q, p, "nurture_return_share", Range::Share, 0.0);
    let days = r.dist_or(
        q,
        p,
        "nurture_return_days",
        Dist::Exponential { mean: 90.0 },
    );
    Some(Qualification {
        handle_minutes: handle?,
        target_share: target?,
        nurture_share: nurture,
        nurture_return_share: ret,
        nurture_return_days: days?,
    })
}

fn outbound(r: &mut Reader, t: &Table) -> Option<Outbound> {
    let p = "outbound";
    let o = r.table(t, "", p)?;
    r.open(o, p);
    let dials = r.number_or(o, p, "dials_per_hour", Range::Within(0.0, 1000.0), 0.0);
    let connect = r.number_or(o, p, "connect_rate", Range::Share, 0.0);
    let lead = r.number_or(o, p, "lead_per_connect", Range::Share, 0.0);
    let win = r.number_or(o, p, "win_factor", Range::Within(0.0, 10.0), 1.0);
    let base = match r.get(o, "prospect_base") {
        None => Some(None),
        Some(v) => r
            .int_value(v, join(p, "prospect_base"), 0, 100_000_000)
            .map(|b| Some(b as u64)),
    };
    let per = r.number_or(o, p, "dials_per_prospect", Range::Within(1.0, 100.0), 1.0);
    let recall = r.int_or(o, p, "recall_days", 1, 3650, 90);
    Some(Outbound {
        dials_per_hour: dials,
        connect_rate: connect,
        lead_per_connect: lead,
        win_factor: win,
        prospect_base: base?,
        dials_per_prospect: per,
        recall_days: recall as u32,
    })
}

/// Checks that the shares of a list sum to 1 (within rounding of written decimals).
fn shares_sum_to_one(r: &mut Reader, path: &str, shares: &[f64]) -> bool {
    let sum: f64 = shares.iter().sum();
    let ok = (sum - 1.0).abs() < 1e-6;
    if !ok {
        r.problem(path, format!("shares must sum to 1, found {sum}"));
    }
    ok
}

fn segments(r: &mut Reader, t: &Table) -> Option<Vec<Segment>> {
    let list = r.list(t, "", "segments")?;
    if list.is_empty() {
        r.problem("segments", "needs at least one segment");
        return None;
    }
    let mut out = vec![];
    for (i, v) in list.iter().enumerate() {
        let p = format!("segments[{i}]");
        let Value::Table(s) = v else {
            r.problem(p, "expected a table");
            continue;
        };
        out.push(segment(r, s, &p));
    }
    let out: Vec<Segment> = out.into_iter().collect::<Option<_>>()?;
    let shares: Vec<f64> = out.iter().map(|s| s.share).collect();
    shares_sum_to_one(r, "segments[].share", &shares).then_some(out)
}

fn segment(r: &mut Reader, s: &Table, p: &str) -> Option<Segment> {
    r.open(s, p);
    let name = r.string(s, p, "name");
    let share = r.number(s, p, "share", Range::Share);
    let touches = r.int(s, p, "touches", 1, 1000);
    let touch = r.dist(s, p, "touch_minutes");
    let prep_share = r.number_or(s, p, "prep_share", Range::Share, 0.0);
    let cycle = r.dist(s, p, "cycle_days");
    let gap = r.number(s, p, "max_gap_days", Range::Pos);
    let win = r.number(s, p, "win_probability", Range::Share);
    let value = r.dist(s, p, "deal_value");
    let repeat = r.number(s, p, "repeat_share", Range::Share);
    let reorder = r.dist(s, p, "reorder_days");
    let repeat_value = r.dist(s, p, "repeat_value");
    let collected = r.number_or(s, p, "collected_share", Range::Share, 0.0);
    let window = r.number_or(
        s,
        p,
        "collection_window_days",
        Range::Within(1e-3, 365.0),
        7.0,
    );
    let season = season(r, s, p);
    if let Some(d) = reorder.filter(|d| d.mean() < 1.0) {
        // No client reorders several times a day; a near-zero interval would place
        // millions of orders per client and exhaust memory.
        r.problem(
            join(p, "reorder_days"),
            format!(
                "must have a mean of at least 1 day, found {}",
                super::reader::shown(d.mean())
            ),
        );
        return None;
    }
    Some(Segment {
        name: name?,
        share: share?,
        touches: touches? as u32,
        touch_minutes: touch?,
        prep_share,
        cycle_days: cycle?,
        max_gap: Time::from_days(gap?),
        win_probability: win?,
        deal_value: value?,
        repeat_share: repeat?,
        reorder_days: reorder?,
        repeat_value: repeat_value?,
        collected_share: collected,
        collection_window: Time::from_days(window),
        reorder_season: season?,
    })
}

/// A segment's `reorder_season`: "demand" (the default), "none", or twelve multipliers.
fn season(r: &mut Reader, s: &Table, p: &str) -> Option<Season> {
    let path = join(p, "reorder_season");
    match r.get(s, "reorder_season") {
        None => Some(Season::Demand),
        Some(Value::String(x)) if x == "demand" => Some(Season::Demand),
        Some(Value::String(x)) if x == "none" => Some(Season::Flat),
        Some(Value::String(x)) => {
            r.problem(
                path,
                format!("unknown season {x:?}; expected \"demand\", \"none\" or 12 multipliers, January first"),
            );
            None
        }
        Some(v) => {
            let xs = r.numbers(v, path.clone(), Range::Within(0.0, 1000.0), Some(12))?;
            if xs.iter().all(|&x| x == 0.0) {
                r.problem(path, "multipliers must not all be zero");
                return None;
            }
            let mut m = [0.0; 12];
            m.copy_from_slice(&xs);
            Some(Season::Months(m))
        }
    }
}

/// A due window in working days (`key`, default `d`), as office working time.
fn window(r: &mut Reader, t: &Table, p: &str, key: &str, d: f64, day: Time) -> Time {
    let x = r.number_or(t, p, key, Range::Within(1e-3, 365.0), d);
    Time::from_secs(x * day.secs())
}

fn paperwork(r: &mut Reader, t: &Table, day: Time) -> Option<Paperwork> {
    let p = "paperwork";
    let w = r.table(t, "", p)?;
    r.open(w, p);
    let c = r.dist(w, p, "contract_minutes");
    let o = r.dist(w, p, "order_entry_minutes");
    let rate = Range::Within(0.0, 100.0);
    Some(Paperwork {
        contract_minutes: c?,
        order_entry_minutes: o?,
        contract_due: window(r, w, p, "contract_due_days", 2.0, day),
        order_entry_due: window(r, w, p, "order_entry_due_days", 1.0, day),
        order_cancel_per_late_day: r.number_or(w, p, "order_cancel_per_late_day", rate, 0.0),
        contract_loss_per_late_day: r.number_or(w, p, "contract_loss_per_late_day", rate, 0.0),
    })
}

/// `[work]`'s dispatch rule: which overdue work jumps the `works` lists.
fn dispatch(r: &mut Reader, t: &Table) -> Option<Dispatch> {
    use crate::model::WorkKind as K;
    let p = "work";
    let default = [K::Contract, K::OrderEntry, K::Collection, K::ClientCall];
    let Some(w) = r.table(t, "", p) else {
        return Some(Dispatch {
            overdue_first: default.into_iter().collect(),
            calls_first: true,
        });
    };
    r.open(w, p);
    let overdue_first = match r.get(w, "overdue_first") {
        None => Some(default.into_iter().collect()),
        Some(v) => {
            let path = join(p, "overdue_first");
            let names = r.strings(v, path.clone())?;
            let mut set = crate::model::KindSet::default();
            let mut ok = true;
            for (i, n) in names.iter().enumerate() {
                match K::parse(n).filter(|k| K::DESK.contains(k)) {
                    Some(k) => set = set.with(k),
                    None => {
                        let desk: Vec<&str> = K::DESK.iter().map(|k| k.name()).collect();
                        r.problem(
                            format!("{path}[{i}]"),
                            format!(
                                "{n:?} has no due time; expected one of: {}",
                                desk.join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
            ok.then_some(set)
        }
    };
    let calls_first = match r.get(w, "calls_before_overdue") {
        None => true,
        Some(Value::Boolean(b)) => *b,
        Some(other) => {
            r.problem(
                join(p, "calls_before_overdue"),
                format!(
                    "expected true or false, found {}",
                    super::reader::type_name(other)
                ),
            );
            true
        }
    };
    Some(Dispatch {
        overdue_first: overdue_first?,
        calls_first,
    })
}

fn clients(r: &mut Reader, t: &Table, day: Time) -> Option<Clients> {
    let p = "clients";
    let c = r.table(t, "", p)?;
    r.open(c, p);
    let initial = r.int_or(c, p, "initial_active", 0, MAX_CLIENTS, 0);
    let tiers = tiers(r, c);
    let care = r.dist(c, p, "care_minutes");
    let churn = r.number(c, p, "annual_churn", Range::Within(0.0, 0.999));
    let neglect = r.number_or(c, p, "neglect_factor", Range::Within(1.0, 100.0), 1.0);
    let dormant = r.number(c, p, "dormant_after_days", Range::Pos);
    let exp_p = r.number_or(c, p, "expansion_probability", Range::Share, 0.0);
    let exp_g = r.number_or(c, p, "expansion_growth", Range::Within(0.0, 10.0), 0.0);
    let cap = r.number_or(c, p, "max_wallet_factor", Range::Within(1.0, 100.0), 1.0);
    let re_min = r.dist_or(c, p, "reactivation_minutes", Dist::Fixed(15.0));
    let re_p = r.number_or(c, p, "reactivation_success", Range::Share, 0.0);
    let re_n = r.int_or(c, p, "reactivation_attempts", 0, 50, 0);
    let re_gap = r.number_or(c, p, "reactivation_spacing_days", Range::Pos, 30.0);
    let re_due = window(r, c, p, "reactivation_due_days", 10.0, day);
    let write_off = r.opt_number(c, p, "written_off_after_days", Range::Within(1.0, 36500.0));
    let calls = r.number_or(
        c,
        p,
        "calls_per_client_per_year",
        Range::Within(0.0, 365.0),
        0.0,
    );
    let call_min = r.dist_or(c, p, "call_minutes", Dist::Fixed(8.0));
    let call_due = window(r, c, p, "call_due_days", 1.0, day);
    let collect_min = r.dist_or(c, p, "collection_minutes", Dist::Fixed(5.0));
    let fail = r.number_or(c, p, "lapse_after_failure", Range::Within(0.0, 0.999), 0.0);
    Some(Clients {
        initial_active: initial as u32,
        tiers: tiers?,
        care_minutes: care?,
        annual_churn: churn?,
        neglect_factor: neglect,
        dormant_after: Time::from_days(dormant?),
        expansion_probability: exp_p,
        expansion_growth: exp_g,
        max_wallet_factor: cap,
        reactivation_minutes: re_min?,
        reactivation_success: re_p,
        reactivation_attempts: re_n as u32,
        reactivation_spacing: Time::from_days(re_gap),
        reactivation_due: re_due,
        written_off_after: write_off.flatten().map(Time::from_days),
        calls_per_year: calls,
        call_minutes: call_min?,
        call_due,
        collection_minutes: collect_min?,
        lapse_after_failure: fail,
    })
}

fn tiers(r: &mut Reader, c: &Table) -> Option<Vec<Tier>> {
    let Some(v) = r.get(c, "tiers") else {
        return Some(vec![Tier {
            name: "all".into(),
            share: 1.0,
            care_every: None,
            grace: Time::ZERO,
        }]);
    };
    let list = r.list_value(v, "clients.tiers".into())?;
    let mut out = vec![];
    for (i, v) in list.iter().enumerate() {
        let p = format!("clients.tiers[{i}]");
        let Value::Table(s) = v else {
            r.problem(p, "expected a table");
            continue;
        };
        r.open(s, &p);
        let name = r.string(s, &p, "name");
        let share = r.number(s, &p, "share", Range::Share);
        // A care contact more often than daily describes no account management, and
        // would flood the queue with contacts.
        let every = r.opt_number(s, &p, "care_every_days", Range::Within(1.0, 3650.0));
        let grace = r.number_or(s, &p, "grace_days", Range::NonNeg, 0.0);
        out.push((|| {
            Some(Tier {
                name: name?,
                share: share?,
                care_every: every?.map(Time::from_days),
                grace: Time::from_days(grace),
            })
        })());
    }
    let out: Vec<Tier> = out.into_iter().collect::<Option<_>>()?;
    if out.is_empty() {
        r.problem("clients.tiers", "needs at least one tier");
        return None;
    }
    let shares: Vec<f64> = out.iter().map(|t| t.share).collect();
    shares_sum_to_one(r, "clients.tiers[].share", &shares).then_some(out)
}
