//! From rows to records: a lead (what happened to it, end to end) and a call. A CRM
//! export gives one lead per row; salesim's own event log gives a lead's events over
//! many rows, put together as they stream past and handed on when the lead ends, so
//! memory holds the open leads only.

use std::collections::{HashMap, HashSet};

use super::input::{self, Problems, Table};
use super::mapping::{is_one_of, CallColumns, LeadColumns, Names, OrderColumns, StageColumns};

/// Seconds since 1970-01-01 on the company's clock.
pub type Stamp = i64;

/// How a lead came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// An inbound call.
    Phone,
    /// A written lead: web form, e-mail, messenger.
    Written,
    /// Found by cold calling.
    Outbound,
}

/// Why a lead was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Hung up in the queue and never called back.
    Unanswered,
    /// Rang when nobody was at work, and was not logged.
    AfterHours,
    /// Never reached by the call attempts.
    NotReached,
    /// Reached too late: no longer interested.
    LateResponse,
    /// Not a buyer.
    NonTarget,
    /// Decided against us.
    DecisionLost,
    /// The deal went cold.
    DealCold,
    /// A reason the mapping does not classify.
    Other,
}

/// The outcome of the first qualification conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum First {
    /// Not known (never reached, or still open).
    Unknown,
    /// A target: a deal opened.
    Target,
    /// Not a target; kept in nurture or not.
    NonTarget {
        /// Put in nurture.
        nurtured: bool,
    },
    /// Reached too late to be interested.
    Late,
}

/// How a lead ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum End {
    /// Still open when the data end.
    Open,
    /// Won, worth this much (when the data say).
    Won(Option<f64>),
    /// Lost, for this cause.
    Lost(Cause),
}

/// One lead, end to end.
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    /// When it came in.
    pub created: Stamp,
    /// How.
    pub channel: Channel,
    /// The first conversation.
    pub contacted: Option<Stamp>,
    /// Whether that conversation was the answered call itself (no delay to decay).
    pub live: bool,
    /// What the first qualification found.
    pub first: First,
    /// When the deal opened (the sales cycle's start).
    pub qualified: Option<Stamp>,
    /// Nurtured, then came back and qualified.
    pub returned: bool,
    /// When it was nurtured.
    pub nurtured_at: Option<Stamp>,
    /// How it ended.
    pub end: End,
    /// When it ended.
    pub closed: Option<Stamp>,
    /// Its deal's segment (index among the names seen).
    pub segment: Option<u16>,
    /// Its deal's touches (stage changes after the deal opened, up to the decision),
    /// when the data have them.
    pub touches: Option<u32>,
}

impl Lead {
    fn new(created: Stamp, channel: Channel) -> Lead {
        Lead {
            created,
            channel,
            contacted: None,
            live: false,
            first: First::Unknown,
            qualified: None,
            returned: false,
            nurtured_at: None,
            end: End::Open,
            closed: None,
            segment: None,
            touches: None,
        }
    }
}

/// How a call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallStatus {
    /// Answered.
    Answered,
    /// The caller hung up in the queue.
    Abandoned,
    /// Rang when nobody was at work.
    Missed,
}

/// What came after an abandoned or missed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// A callback request (abandoned) or the missed-call log (missed).
    Callback,
    /// The caller called again.
    Redial,
    /// Nothing: the lead is lost.
    Lost,
}

/// One call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Call {
    /// When it rang.
    pub start: Stamp,
    /// How it went.
    pub status: CallStatus,
    /// Seconds in the queue.
    pub wait: Option<f64>,
    /// Seconds of conversation.
    pub talk: Option<f64>,
    /// What came after, when the data say.
    pub next: Option<Next>,
}

/// One repeat order of a client on the books.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Order {
    /// The client (a hash of its id).
    pub client: u64,
    /// When it was booked.
    pub at: Stamp,
    /// Its amount, when the data say.
    pub amount: Option<f64>,
    /// The client's segment (index among the names seen).
    pub segment: Option<u16>,
}

/// Where records go: the estimators' accumulator, or a test's list.
pub trait Sink {
    /// A client's order.
    fn order(&mut self, order: &Order);
    /// A lead, once it ended or the data did.
    fn lead(&mut self, lead: &Lead);
    /// A call.
    fn call(&mut self, call: &Call);
    /// The index of a segment's name.
    fn segment(&mut self, name: &str) -> u16;
    /// The latest moment seen in any row (where the data end).
    fn seen(&mut self, at: Stamp);
}

/// Rows read and used, per file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// Data rows read.
    pub rows: u64,
    /// Rows skipped for a bad value.
    pub skipped: u64,
}

fn col(t: &Table, names: &Option<Names>) -> Option<usize> {
    names.as_ref().and_then(|n| t.column(&n.list()))
}

fn missing(file: &str, field: &str, names: &Option<Names>, t: &Table) -> String {
    let looked = names.as_ref().map_or_else(
        || "(the mapping names none)".to_string(),
        |n| n.list().join(", "),
    );
    format!(
        "{file}: no column for `{field}`: looked for {looked}; the file has {}",
        t.header.join(", ")
    )
}

/// A record's field, trimmed, or "" when the row is short.
fn field<'a>(rec: &'a csv::ByteRecord, i: Option<usize>) -> std::borrow::Cow<'a, str> {
    match i.and_then(|i| rec.get(i)) {
        Some(f) => input::text(f),
        None => std::borrow::Cow::Borrowed(""),
    }
}

/// An amount: a positive number, or `None` (empty; or reported as unreadable or not
/// positive, and left out).
fn amount(
    a: &str,
    decimal: u8,
    problems: &mut Problems,
    (file, column, line): (&str, &str, u64),
) -> Option<f64> {
    match input::number(a, decimal) {
        Some(x) if x > 0.0 => Some(x),
        _ if a.is_empty() => None,
        Some(_) => {
            problems.add(file, column, "not a positive amount", line, a);
            None
        }
        None => {
            problems.add(file, column, "unreadable number", line, a);
            None
        }
    }
}

fn hash(s: &str) -> u64 {
    // FNV-1a: duplicate ids are found by their hash (a false duplicate needs a 64-bit
    // collision).
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A stage history: when each lead entered each stage, by the lead's id (hashed). Its
/// memory grows with the stage changes, which a lead's touches are counted from once its
/// deal's start and decision are read.
#[derive(Debug, Default)]
pub struct Stages {
    times: HashMap<u64, Vec<Stamp>>,
}

impl Stages {
    /// Stage changes of lead `id` after `start` and up to `end` (the decision), when the
    /// history has the lead.
    fn touches(&self, id: &str, start: Stamp, end: Stamp) -> Option<u32> {
        let times = self.times.get(&hash(id))?;
        Some(times.iter().filter(|&&t| t > start && t <= end).count() as u32)
    }
}

/// Reads a stage history: one row per stage a lead (or deal) entered.
pub fn read_stages(
    t: &mut Table,
    m: &StageColumns,
    file: &str,
    problems: &mut Problems,
) -> Result<(Stages, Counted), String> {
    let lead = col(t, &m.lead).ok_or_else(|| missing(file, "lead", &m.lead, t))?;
    let entered = col(t, &m.entered).ok_or_else(|| missing(file, "entered", &m.entered, t))?;
    let stage = col(t, &m.stage);
    let entered_name = t.header[entered].clone();
    let lead_name = t.header[lead].clone();
    let order = t.dialect.date_order;
    let mut stages = Stages::default();
    let mut rec = csv::ByteRecord::new();
    let mut n = Counted::default();
    while t.next(&mut rec)? {
        n.rows += 1;
        let line = rec.position().map_or(n.rows + 1, |p| p.line());
        let d = field(&rec, Some(entered));
        let Some(at) = input::moment(&d, order) else {
            problems.add(file, &entered_name, "unreadable date", line, &d);
            n.skipped += 1;
            continue;
        };
        let id = field(&rec, Some(lead));
        if id.is_empty() {
            problems.add(file, &lead_name, "no id", line, "");
            n.skipped += 1;
            continue;
        }
        if is_one_of(&field(&rec, stage), &m.values.not_a_touch) {
            continue;
        }
        stages.times.entry(hash(&id)).or_default().push(at);
    }
    Ok((stages, n))
}

/// Reads a leads export, one lead per row; with a stage history, each decided deal's
/// touches are counted from it.
pub fn read_leads(
    t: &mut Table,
    m: &LeadColumns,
    file: &str,
    sink: &mut dyn Sink,
    problems: &mut Problems,
    stages: Option<&Stages>,
) -> Result<Counted, String> {
    let created = col(t, &m.created).ok_or_else(|| missing(file, "created", &m.created, t))?;
    let id = col(t, &m.id);
    if stages.is_some() && id.is_none() {
        return Err(format!(
            "{}; a stage history is matched to the leads by their id",
            missing(file, "id", &m.id, t)
        ));
    }
    let channel = col(t, &m.channel);
    let first_contact = col(t, &m.first_contact);
    let qualified = col(t, &m.qualified);
    let outcome = col(t, &m.outcome);
    let reason = col(t, &m.loss_reason);
    let amount_col = col(t, &m.amount);
    let closed = col(t, &m.closed);
    let segment = col(t, &m.segment);
    let name = |i: Option<usize>| i.map_or(String::new(), |i| t.header[i].clone());
    let names: Vec<String> = [created]
        .into_iter()
        .map(Some)
        .chain([id, first_contact, qualified, outcome, amount_col, closed])
        .map(name)
        .collect();
    let (dec, order) = (t.dialect.decimal, t.dialect.date_order);
    let v = &m.values;
    let mut seen = HashSet::new();
    let mut rec = csv::ByteRecord::new();
    let mut n = Counted::default();
    while t.next(&mut rec)? {
        n.rows += 1;
        let line = rec.position().map_or(n.rows + 1, |p| p.line());
        let c = field(&rec, Some(created));
        let Some(at) = input::moment(&c, order) else {
            problems.add(file, &names[0], "unreadable date", line, &c);
            n.skipped += 1;
            continue;
        };
        sink.seen(at);
        if let Some(i) = id {
            let key = field(&rec, Some(i));
            if !key.is_empty() && !seen.insert(hash(&key)) {
                problems.add(file, &names[1], "duplicate id", line, &key);
                n.skipped += 1;
                continue;
            }
        }
        let ch = field(&rec, channel);
        let kind = if is_one_of(&ch, &v.phone) {
            Channel::Phone
        } else if is_one_of(&ch, &v.outbound) {
            Channel::Outbound
        } else {
            Channel::Written
        };
        let mut lead = Lead::new(at, kind);
        // A later moment of the lead: unreadable or before its creation is reported
        // and left out (the lead itself is kept).
        let later = |i: Option<usize>, k: usize, problems: &mut Problems| -> Option<Stamp> {
            let s = field(&rec, i);
            if s.is_empty() {
                return None;
            }
            match input::moment(&s, order) {
                None => {
                    problems.add(file, &names[k], "unreadable date", line, &s);
                    None
                }
                Some(x) if x < at => {
                    problems.add(file, &names[k], "before the lead was created", line, &s);
                    None
                }
                Some(x) => Some(x),
            }
        };
        lead.contacted = later(first_contact, 2, problems);
        lead.qualified = later(qualified, 3, problems);
        let closed_at = later(closed, 6, problems);
        lead.live = kind == Channel::Phone;
        let o = field(&rec, outcome);
        lead.end = if is_one_of(&o, &v.won) {
            let a = field(&rec, amount_col);
            End::Won(self::amount(&a, dec, problems, (file, &names[5], line)))
        } else if is_one_of(&o, &v.lost) {
            let r = field(&rec, reason);
            let cause = if is_one_of(&r, &v.non_target) {
                Cause::NonTarget
            } else if is_one_of(&r, &v.not_reached) {
                Cause::NotReached
            } else if is_one_of(&r, &v.late_response) {
                Cause::LateResponse
            } else if is_one_of(&r, &v.decision_lost) {
                Cause::DecisionLost
            } else if is_one_of(&r, &v.deal_cold) {
                Cause::DealCold
            } else {
                Cause::Other
            };
            End::Lost(cause)
        } else {
            End::Open
        };
        if !matches!(lead.end, End::Open) {
            lead.closed = closed_at;
        }
        lead.first = match lead.end {
            End::Lost(Cause::NonTarget) => First::NonTarget { nurtured: false },
            End::Lost(Cause::LateResponse) => First::Late,
            End::Lost(Cause::Unanswered | Cause::AfterHours | Cause::NotReached) => First::Unknown,
            End::Won(_) | End::Lost(_) => First::Target,
            End::Open if lead.qualified.is_some() => First::Target,
            End::Open => First::Unknown,
        };
        let s = field(&rec, segment);
        if !s.is_empty() && lead.first == First::Target {
            lead.segment = Some(sink.segment(&s));
        }
        if let (Some(stages), Some(end), First::Target) = (stages, lead.closed, lead.first) {
            let start = lead.qualified.or(lead.contacted).unwrap_or(at);
            lead.touches = stages.touches(&field(&rec, id), start, end);
        }
        sink.lead(&lead);
    }
    Ok(n)
}

/// Reads a call log, one call per row.
pub fn read_calls(
    t: &mut Table,
    m: &CallColumns,
    file: &str,
    sink: &mut dyn Sink,
    problems: &mut Problems,
) -> Result<Counted, String> {
    let start = col(t, &m.start).ok_or_else(|| missing(file, "start", &m.start, t))?;
    let status = col(t, &m.status).ok_or_else(|| missing(file, "status", &m.status, t))?;
    let wait = col(t, &m.wait);
    let talk = col(t, &m.talk);
    let next = col(t, &m.next);
    let name = |i: Option<usize>| i.map_or(String::new(), |i| t.header[i].clone());
    let names = [
        name(Some(start)),
        name(Some(status)),
        name(wait),
        name(talk),
    ];
    let (dec, order) = (t.dialect.decimal, t.dialect.date_order);
    let v = &m.values;
    let mut rec = csv::ByteRecord::new();
    let mut n = Counted::default();
    while t.next(&mut rec)? {
        n.rows += 1;
        let line = rec.position().map_or(n.rows + 1, |p| p.line());
        let s = field(&rec, Some(start));
        let Some(at) = input::moment(&s, order) else {
            problems.add(file, &names[0], "unreadable date", line, &s);
            n.skipped += 1;
            continue;
        };
        sink.seen(at);
        let st = field(&rec, Some(status));
        let status = if is_one_of(&st, &v.answered) {
            CallStatus::Answered
        } else if is_one_of(&st, &v.abandoned) {
            CallStatus::Abandoned
        } else if is_one_of(&st, &v.missed) {
            CallStatus::Missed
        } else {
            problems.add(file, &names[1], "unknown status", line, &st);
            n.skipped += 1;
            continue;
        };
        let duration = |i: Option<usize>, k: usize, problems: &mut Problems| -> Option<f64> {
            let s = field(&rec, i);
            if s.is_empty() {
                return None;
            }
            match input::seconds(&s, dec) {
                None => {
                    problems.add(file, &names[k], "unreadable duration", line, &s);
                    None
                }
                Some(x) if x < 0.0 => {
                    problems.add(file, &names[k], "negative duration", line, &s);
                    None
                }
                Some(x) => Some(x),
            }
        };
        let wait = duration(wait, 2, problems);
        let talk = duration(talk, 3, problems);
        let nx = field(&rec, next);
        let next = if nx.is_empty() {
            None
        } else if is_one_of(&nx, &v.callback) {
            Some(Next::Callback)
        } else if is_one_of(&nx, &v.redial) {
            Some(Next::Redial)
        } else {
            Some(Next::Lost)
        };
        sink.call(&Call {
            start: at,
            status,
            wait,
            talk: if status == CallStatus::Answered {
                talk
            } else {
                None
            },
            next,
        });
    }
    Ok(n)
}

/// Reads an orders export: one repeat order per row (client, date, amount, segment).
pub fn read_orders(
    t: &mut Table,
    m: &OrderColumns,
    file: &str,
    sink: &mut dyn Sink,
    problems: &mut Problems,
) -> Result<Counted, String> {
    let client = col(t, &m.client).ok_or_else(|| missing(file, "client", &m.client, t))?;
    let date = col(t, &m.date).ok_or_else(|| missing(file, "date", &m.date, t))?;
    let amount = col(t, &m.amount);
    let segment = col(t, &m.segment);
    let name = |i: Option<usize>| i.map_or(String::new(), |i| t.header[i].clone());
    let names = [name(Some(date)), name(amount)];
    let (dec, order) = (t.dialect.decimal, t.dialect.date_order);
    let mut rec = csv::ByteRecord::new();
    let mut n = Counted::default();
    while t.next(&mut rec)? {
        n.rows += 1;
        let line = rec.position().map_or(n.rows + 1, |p| p.line());
        let d = field(&rec, Some(date));
        let Some(at) = input::moment(&d, order) else {
            problems.add(file, &names[0], "unreadable date", line, &d);
            n.skipped += 1;
            continue;
        };
        sink.seen(at);
        let value = self::amount(&field(&rec, amount), dec, problems, (file, &names[1], line));
        let s = field(&rec, segment);
        let segment = (!s.is_empty()).then(|| sink.segment(&s));
        sink.order(&Order {
            client: hash(&field(&rec, Some(client))),
            at,
            amount: value,
            segment,
        });
    }
    Ok(n)
}

/// The columns of salesim's event log.
const EVENT_COLUMNS: [&str; 8] = [
    "time", "lead_id", "channel", "event", "outcome", "amount", "wait_s", "segment",
];

/// One row of salesim's event log, read (from the file, or from a simulation's rows).
#[derive(Clone, Copy, Debug)]
pub struct EventRow<'a> {
    /// When.
    pub at: Stamp,
    /// The lead's (or client's) id.
    pub id: u64,
    /// The id as the file writes it, for messages ("" when it has none).
    pub label: &'a str,
    /// `phone`, `web`, `outbound` or `client`.
    pub channel: &'a str,
    /// The event's name.
    pub event: &'a str,
    /// Its outcome, or "".
    pub outcome: &'a str,
    /// Its amount, when the row has a readable one.
    pub amount: Option<f64>,
    /// Its wait in seconds, when the row has one.
    pub wait: Option<f64>,
    /// The deal's or client's segment, or "".
    pub segment: &'a str,
}

/// Puts leads together from their events as the rows stream past: memory holds the
/// leads still open.
#[derive(Default)]
pub struct Assembler {
    open: HashMap<u64, (Lead, Option<Stamp>)>,
}

impl Assembler {
    /// Takes one row; a bad one is reported (`line` numbers it) and `false` returned.
    pub fn row(
        &mut self,
        e: &EventRow,
        sink: &mut dyn Sink,
        problems: &mut Problems,
        file: &str,
        line: u64,
    ) -> bool {
        let at = e.at;
        sink.seen(at);
        let id = e.id;
        let id_text = || {
            if e.label.is_empty() {
                format!("{:x}", e.id)
            } else {
                e.label.to_string()
            }
        };
        match e.event {
            "lead_arrived" | "prospect_found" => {
                let channel = match e.channel {
                    "phone" => Channel::Phone,
                    "outbound" => Channel::Outbound,
                    _ => Channel::Written,
                };
                let mut lead = Lead::new(at, channel);
                if e.event == "prospect_found" {
                    lead.first = First::Target;
                    lead.qualified = Some(at);
                    lead.contacted = Some(at);
                    if !e.segment.is_empty() {
                        lead.segment = Some(sink.segment(e.segment));
                    }
                }
                if self.open.insert(id, (lead, None)).is_some() {
                    problems.add(file, "lead_id", "duplicate id", line, &id_text());
                }
                return true;
            }
            "call_answered" | "call_abandoned" | "call_missed" => {
                let status = match e.event {
                    "call_answered" => CallStatus::Answered,
                    "call_abandoned" => CallStatus::Abandoned,
                    _ => CallStatus::Missed,
                };
                let next = match e.outcome {
                    "callback" | "logged" => Some(Next::Callback),
                    "redial" => Some(Next::Redial),
                    "lost" => Some(Next::Lost),
                    _ => None,
                };
                if let Some(w) = e.wait.filter(|w| *w < 0.0) {
                    problems.add(file, "wait_s", "negative duration", line, &w.to_string());
                    return false;
                }
                sink.call(&Call {
                    start: at - e.wait.unwrap_or(0.0).round() as i64,
                    status,
                    wait: e.wait,
                    talk: None,
                    next,
                });
                if status == CallStatus::Answered {
                    if let Some((_, answered)) = self.open.get_mut(&id) {
                        *answered = Some(at);
                    }
                }
                return true;
            }
            "order_entered" => {
                let segment = (!e.segment.is_empty()).then(|| sink.segment(e.segment));
                if e.amount.is_none_or(|a| a <= 0.0) {
                    problems.add(
                        file,
                        "amount",
                        "not a positive amount",
                        line,
                        &format!("{:?}", e.amount),
                    );
                }
                sink.order(&Order {
                    client: id,
                    at,
                    amount: e.amount.filter(|a| *a > 0.0),
                    segment,
                });
                return true;
            }
            "contacted" | "qualified" | "nurtured" | "deal_touch" | "deal_won" | "lead_lost" => {}
            other => {
                problems.add(file, "event", "unknown event", line, other);
                return false;
            }
        }
        let Some((lead, answered)) = self.open.get_mut(&id) else {
            problems.add(
                file,
                "lead_id",
                "no lead_arrived before it",
                line,
                &id_text(),
            );
            return false;
        };
        let set_segment = |lead: &mut Lead, sink: &mut dyn Sink| {
            if !e.segment.is_empty() && lead.segment.is_none() {
                lead.segment = Some(sink.segment(e.segment));
            }
        };
        let mut ended = false;
        match e.event {
            "contacted" => {
                if lead.contacted.is_none() {
                    lead.contacted = Some(at);
                    lead.live = *answered == Some(at);
                }
            }
            "qualified" => {
                if lead.first == First::Unknown {
                    lead.first = First::Target;
                } else {
                    lead.returned = true;
                }
                lead.qualified = Some(at);
                set_segment(lead, sink);
            }
            "deal_touch" => {
                lead.touches = Some(lead.touches.map_or(1, |n| n + 1));
            }
            "nurtured" => {
                if lead.first == First::Unknown {
                    lead.first = First::NonTarget { nurtured: true };
                }
                lead.nurtured_at = Some(at);
            }
            "deal_won" => {
                set_segment(lead, sink);
                lead.end = End::Won(e.amount.filter(|x| *x > 0.0));
                ended = true;
            }
            _ => {
                let cause = match e.outcome {
                    "unanswered" => Cause::Unanswered,
                    "after_hours" => Cause::AfterHours,
                    "not_reached" => Cause::NotReached,
                    "late_response" => Cause::LateResponse,
                    "non_target" => Cause::NonTarget,
                    "decision_lost" => Cause::DecisionLost,
                    "deal_cold" => Cause::DealCold,
                    _ => Cause::Other,
                };
                if lead.first == First::Unknown {
                    lead.first = match cause {
                        Cause::NonTarget => First::NonTarget { nurtured: false },
                        Cause::LateResponse => First::Late,
                        _ => First::Unknown,
                    };
                }
                if matches!(cause, Cause::DecisionLost | Cause::DealCold) {
                    set_segment(lead, sink);
                }
                // A nurtured lead lost for another cause than the nurture's own
                // non-target loss came back first (and was then lost: not reached,
                // too late, at the decision).
                if lead.nurtured_at.is_some() && cause != Cause::NonTarget {
                    lead.returned = true;
                }
                lead.end = End::Lost(cause);
                ended = true;
            }
        }
        if ended {
            lead.closed = Some(at);
            if let Some((lead, _)) = self.open.remove(&id) {
                sink.lead(&lead);
            }
        }
        true
    }

    /// The leads still open when the rows end, handed on in a fixed order.
    pub fn finish(self, sink: &mut dyn Sink) {
        let mut rest: Vec<Lead> = self.open.into_values().map(|(l, _)| l).collect();
        rest.sort_by_key(|l| l.created);
        for l in &rest {
            sink.lead(l);
        }
    }
}

/// Reads salesim's own event log: leads put together from their events, calls and
/// orders as they come.
pub fn read_events(
    t: &mut Table,
    file: &str,
    sink: &mut dyn Sink,
    problems: &mut Problems,
) -> Result<Counted, String> {
    let mut cols = [0usize; 8];
    for (k, c) in EVENT_COLUMNS.iter().enumerate() {
        cols[k] = t.header.iter().position(|h| h == c).ok_or_else(|| {
            format!(
                "{file}: not a salesim event log: no column `{c}` (the file has {})",
                t.header.join(", ")
            )
        })?;
    }
    let [c_time, c_id, c_channel, c_event, c_outcome, c_amount, c_wait, c_segment] = cols.map(Some);
    let (dec, order) = (t.dialect.decimal, t.dialect.date_order);
    let mut assembler = Assembler::default();
    let mut rec = csv::ByteRecord::new();
    let mut n = Counted::default();
    while t.next(&mut rec)? {
        n.rows += 1;
        let line = rec.position().map_or(n.rows + 1, |p| p.line());
        let ts = field(&rec, c_time);
        let Some(at) = input::moment(&ts, order) else {
            problems.add(file, "time", "unreadable date", line, &ts);
            n.skipped += 1;
            continue;
        };
        let wait = field(&rec, c_wait);
        let wait = match input::number(&wait, dec) {
            None if !wait.is_empty() => {
                problems.add(file, "wait_s", "unreadable number", line, &wait);
                None
            }
            w => w,
        };
        let label = field(&rec, c_id);
        let row = EventRow {
            at,
            id: hash(&label),
            label: &label,
            channel: &field(&rec, c_channel),
            event: &field(&rec, c_event),
            outcome: &field(&rec, c_outcome),
            amount: input::number(&field(&rec, c_amount), dec),
            wait,
            segment: &field(&rec, c_segment),
        };
        if !assembler.row(&row, sink, problems, file, line) {
            n.skipped += 1;
        }
    }
    assembler.finish(sink);
    Ok(n)
}
