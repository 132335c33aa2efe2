//! One replication: where the engine, the model and a structure meet.
//!
//! A replication is a plain sequential loop over the event queue. Leads arrive from a
//! non-homogeneous Poisson process; their attributes (channel, patience, target or not,
//! segment, value, win draw) come from each lead's own random stream, so every structure
//! run on the same seed sees the same leads. Staff pick work by their role's priorities
//! whenever they are free and on shift.

mod clients;
mod deals;
mod desk;
mod leads;
pub mod log;
pub mod metrics;
mod prospecting;
mod slab;
mod staff;
pub mod stats;
mod turnover;

use std::collections::VecDeque;

use crate::engine::{derive_seed, substream, Calendar, EventQueue, Stream, Time, Timers};
use crate::model::{KindSet, WorkKind};
use crate::scenario::Scenario;
use crate::structure::Structure;

use clients::Client;
use desk::Desk;
use leads::{Arrivals, Lead, LeadState};
pub use metrics::{metric_names, metric_values, metrics, Columns, Metric, RoleMetric};
use slab::{Ref, Slab};
use staff::Employee;
pub use stats::{Backlog, Histogram, MonthStats, RoleMonth, RunResult};

/// Sources of randomness; each gets its own stream per replication.
#[derive(Clone, Copy)]
#[repr(u64)]
enum Source {
    Arrivals = 1,
    Leads = 2,
    Outbound = 3,
    Clients = 4,
    Turnover = 5,
}

/// What happened: each event has one handler.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// The next inbound lead arrived.
    LeadArrived,
    /// A ringing caller ran out of patience.
    PatienceExpired {
        /// The caller.
        lead: Ref,
    },
    /// A caller who hung up calls again.
    Redialed {
        /// The caller.
        lead: Ref,
    },
    /// A person's break is due (staggered breaks).
    BreakDue {
        /// The role.
        role: u32,
        /// Which break slot: the role's people whose index within it is this modulo
        /// the number of slots take it.
        slot: u32,
    },
    /// A person's break is over.
    BreakOver {
        /// The person.
        employee: u32,
        /// Which of the person's breaks (their task count when it began).
        task: u32,
    },
    /// A written lead is due for its next call attempt.
    AttemptDue {
        /// The lead.
        lead: Ref,
    },
    /// A nurtured lead came back, ready to talk.
    NurtureReturned {
        /// The lead.
        lead: Ref,
    },
    /// A deal's next touch fell due.
    TouchDue {
        /// The deal's lead.
        lead: Ref,
        /// Which touch, from 0.
        touch: u32,
    },
    /// A deal's next touch did not start in time.
    DealWentCold {
        /// The deal's lead.
        lead: Ref,
        /// The touch that was awaited (a later touch makes the event stale).
        touch: u32,
    },
    /// A person finished their task. Delivered from the task timers, not the queue.
    WorkFinished {
        /// The person.
        employee: u32,
        /// Which of the person's tasks.
        task: u32,
    },
    /// A role's working segment (a shift, or a block within it) started.
    SegmentStarted {
        /// The role.
        role: u32,
    },
    /// A new calendar month started.
    MonthStarted {
        /// The month of the horizon, from 0.
        month: u32,
    },
    /// A client placed a repeat order.
    OrderPlaced {
        /// The client.
        client: Ref,
        /// The client's version when it was scheduled (a changed client makes it stale).
        ver: u32,
    },
    /// A client's care contact fell due.
    CareDue {
        /// The client.
        client: Ref,
        /// The client's version when it was scheduled.
        ver: u32,
    },
    /// A client quietly stopped buying.
    ClientLapsed {
        /// The client.
        client: Ref,
        /// The client's version when it was scheduled.
        ver: u32,
    },
    /// A client went long enough without an order to count as dormant.
    DormancyReached {
        /// The client.
        client: Ref,
        /// The client's version when it was scheduled.
        ver: u32,
    },
    /// A dormant client is due for a reactivation call.
    ReactivationDue {
        /// The client.
        client: Ref,
    },
    /// A client called their owner.
    ClientCalled {
        /// The client.
        client: Ref,
        /// The client's call version when it was scheduled.
        ver: u32,
    },
    /// A dormant client was written off.
    WrittenOff {
        /// The client.
        client: Ref,
        /// The client's dormancy version when it was scheduled (won back since: stale).
        ver: u32,
    },
    /// Desk work reached the instant its lateness costs something: the earliest of the
    /// pending expiries (every one due by now is settled with it).
    DeskExpired {
        /// The record whose expiry the event was set for.
        desk: Ref,
    },
    /// A person left the company.
    EmployeeLeft {
        /// The person's slot.
        employee: u32,
        /// Which person of the slot (a later hire makes the event stale).
        gen: u32,
    },
    /// A vacancy was filled by a new hire.
    VacancyFilled {
        /// The slot.
        employee: u32,
        /// Which vacancy of the slot.
        gen: u32,
    },
}

/// A unit of waiting work: what it is about, and a version that tells a stale item.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Item {
    r: Ref,
    ver: u32,
}

/// Numbers handed out so far: each lead draws from the stream of its number, so the
/// numbering is part of the common random numbers.
#[derive(Debug, Default)]
struct Issued {
    /// Inbound leads.
    inbound: u64,
    /// Leads found by cold calling.
    outbound: u64,
    /// Clients.
    clients: u64,
    /// Client numbers given (initial and won), for the event log.
    client_ids: u32,
}

/// What is live now, kept as it changes and read at each month's turn.
#[derive(Debug, Default)]
struct Live {
    open_leads: u64,
    active_clients: u64,
    dormant_clients: u64,
}

/// Book-keeping of the run as a whole: what the result reports besides the months, and
/// what the tests check the engine by (Little's law, memory).
#[derive(Debug, Default)]
struct Ledger {
    /// Time-integral of open leads, in lead-milliseconds.
    lead_area: u128,
    /// Sum of the times in system of the leads that reached an outcome.
    finished_lead_ms: u128,
    leads_finished: u64,
    /// When `lead_area` was last brought up to date.
    last_t: Time,
    events: u64,
    /// Largest number of pending events and of live records seen at a month's turn.
    peak_pending: usize,
    peak_records: usize,
}

/// The state of one replication.
pub struct Simulation<'a> {
    sc: &'a Scenario,
    st: &'a Structure,
    cal: &'a Calendar,
    q: EventQueue<Event>,
    /// When each person's current task ends: the `WorkFinished` events, kept out of the
    /// queue (a person has at most one pending), under keys from the queue's sequence.
    finishes: Timers,
    /// Seed of this replication: every stream derives from it.
    seed: u64,
    replication: u64,
    arrivals: Arrivals,
    /// The next inbound arrival, kept outside the queue (one push and pop less per lead)
    /// under a key from the queue's own sequence, so the order is exactly the same
    /// (`u128::MAX`: no more arrivals).
    next_arrival: u128,
    outbound_rng: Stream,
    /// Prospects of a finite base resting after a call.
    resting: prospecting::Resting,
    /// Tenures, times to fill and handover draws.
    turnover_rng: Stream,
    /// Seed bases of inbound (0) and outbound (1) leads.
    lead_base: [u64; 2],
    leads: Slab<Lead>,
    clients: Slab<Client>,
    /// Desk work: contracts, order entry, collection calls, clients' calls.
    desks: Slab<Desk>,
    /// Expiry instants of desk work, earliest first, each packed as `instant << 64 |
    /// slot << 32 | generation` (one integer to compare); one event waits for the
    /// earliest still waiting (work done before its expiry needs no event of its own).
    deadlines: std::collections::BinaryHeap<std::cmp::Reverse<u128>>,
    /// When the pending expiry event fires (`NEVER`: none is pending).
    deadline_at: Time,
    /// Each segment's reorder rate per month of the horizon, in season time (empty: no
    /// season).
    reorder_rates: Vec<Vec<f64>>,
    staff: Vec<Employee>,
    /// Employees of each role: `role_first[r]..role_first[r + 1]`.
    role_first: Vec<usize>,
    /// Each role's idle people, longest idle first, as `(employee, task_seq)`; an entry
    /// whose person has started a task since is stale and skipped.
    idle: Vec<VecDeque<(u32, u32)>>,
    /// Shared queues of unowned work, by kind.
    pooled: [VecDeque<Item>; WorkKind::COUNT],
    /// Roles doing each kind, most committed first.
    kind_roles: [Vec<usize>; WorkKind::COUNT],
    /// Each role's current working segment, cached: `[from, to)` and its tag (`None`:
    /// `OFF_SHIFT`: off shift). Looked up several times per event, it changes a few times a day.
    role_segment: Vec<(Time, Time, u32)>,
    /// Whether each role cold-calls in its free time.
    cold_callers: Vec<bool>,
    /// A role other than the deal owner's prepares deal touches.
    preparers: bool,
    /// Each role's kinds whose overdue work jumps its list.
    overdue_kinds: Vec<KindSet>,
    /// Whether each role takes a ringing call before overdue work.
    calls_first: Vec<bool>,
    /// The kind and item of the last task started (tells `offer` whether its item was
    /// taken); `Prospecting` before any, a kind never offered. Two plain fields, not an
    /// `Option` of a tuple: its packed layout made every write a store-forwarding stall.
    last_kind: WorkKind,
    last_item: Item,
    month: usize,
    stats: Vec<MonthStats>,
    /// Leads and clients numbered so far.
    issued: Issued,
    /// What is live now.
    live: Live,
    /// Book-keeping of the run as a whole.
    ledger: Ledger,
    trace: Option<Vec<String>>,
    /// The event log, when asked for (`run_logged`).
    log: Option<Vec<log::LogRow>>,
}

/// A segment's reorder rate in each month of the horizon, relative to its mean (empty:
/// no season). The demand's season is its volume per day over the horizon; a segment's
/// own multipliers are weighted by the days of a calendar year.
fn reorder_rates(sc: &Scenario, g: &crate::scenario::Segment) -> Vec<f64> {
    use crate::scenario::Season;
    let cal = &sc.calendar;
    let months = cal.months();
    let days = |m: usize| f64::from(cal.days_in(m));
    let (raw, mean): (Vec<f64>, f64) = match &g.reorder_season {
        Season::Flat => return vec![],
        Season::Demand => {
            let per_day: Vec<f64> = (0..months)
                .map(|m| sc.demand.per_month[m] / days(m))
                .collect();
            let total: f64 = sc.demand.per_month.iter().sum();
            let all_days: f64 = (0..months).map(days).sum();
            (per_day, total / all_days)
        }
        Season::Months(x) => {
            const DAYS: [f64; 12] = [
                31.0, 28.25, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
            ];
            let mean = x.iter().zip(DAYS).map(|(a, d)| a * d).sum::<f64>() / 365.25;
            let raw = (0..months)
                .map(|m| x[cal.calendar_month(m) as usize - 1])
                .collect();
            (raw, mean)
        }
    };
    if mean > 0.0 {
        raw.into_iter().map(|x| x / mean).collect()
    } else {
        vec![]
    }
}

/// Runs one replication of `structure` (an index into `scenario.structures`).
pub fn run(scenario: &Scenario, structure: usize, replication: u64) -> RunResult {
    Simulation::new(scenario, structure, replication).run()
}

impl<'a> Simulation<'a> {
    /// A replication ready to run.
    pub fn new(sc: &'a Scenario, structure: usize, replication: u64) -> Simulation<'a> {
        let st = &sc.structures[structure];
        let seed = derive_seed(sc.seed, &[replication]);
        let months = sc.calendar.months();
        let mut kind_roles: [Vec<usize>; WorkKind::COUNT] = Default::default();
        for k in WorkKind::ALL {
            kind_roles[k.index()] = st.roles_doing(k);
        }
        let mut sim = Simulation {
            sc,
            st,
            cal: &sc.calendar,
            q: EventQueue::with_capacity(1024),
            finishes: Timers::new(0),
            seed,
            replication,
            next_arrival: u128::MAX,
            arrivals: Arrivals::new(substream(seed, Source::Arrivals as u64), sc),
            outbound_rng: substream(seed, Source::Outbound as u64),
            resting: prospecting::Resting::new(sc.outbound.recall_days),
            turnover_rng: substream(seed, Source::Turnover as u64),
            lead_base: [0, 1].map(|space| derive_seed(seed, &[Source::Leads as u64, space])),
            leads: Slab::default(),
            clients: Slab::default(),
            desks: Slab::default(),
            deadlines: Default::default(),
            deadline_at: Time::NEVER,
            reorder_rates: sc.segments.iter().map(|g| reorder_rates(sc, g)).collect(),
            staff: vec![],
            role_first: vec![],
            idle: vec![VecDeque::new(); st.roles.len()],
            pooled: Default::default(),
            kind_roles,
            role_segment: vec![(Time::ZERO, Time::ZERO, staff::OFF_SHIFT); st.roles.len()],
            preparers: st
                .roles
                .iter()
                .enumerate()
                .any(|(i, r)| i != st.deal_owner && r.does(WorkKind::Preparation)),
            cold_callers: st
                .roles
                .iter()
                .map(|r| r.does(WorkKind::Prospecting) && sc.outbound.dials_per_hour > 0.0)
                .collect(),
            overdue_kinds: st
                .roles
                .iter()
                .map(|r| {
                    let works: KindSet = r.works.iter().copied().collect();
                    KindSet(works.0 & sc.dispatch.overdue_first.0)
                })
                .collect(),
            calls_first: st
                .roles
                .iter()
                .map(|r| sc.dispatch.calls_first && r.does(WorkKind::InboundCall))
                .collect(),
            last_kind: WorkKind::Prospecting,
            last_item: Item {
                r: Ref::NONE,
                ver: 0,
            },
            month: 0,
            stats: (0..months)
                .map(|_| MonthStats {
                    turnover: st.has_turnover(),
                    ..MonthStats::new(st.roles.len())
                })
                .collect(),
            issued: Issued::default(),
            live: Live::default(),
            ledger: Ledger::default(),
            trace: None,
            log: None,
        };
        sim.q.set_horizon(sim.cal.end());
        sim.hire_staff();
        sim.finishes = Timers::new(sim.staff.len());
        sim
    }

    /// Inbound leads arrive exactly at these instants instead of from the Poisson
    /// process (a replay of real arrivals, or a hand-made test case).
    pub fn with_arrivals(mut self, at: Vec<Time>) -> Self {
        self.arrivals.script(at);
        self
    }

    /// Runs to the end of the horizon.
    pub fn run(mut self) -> RunResult {
        self.run_in_place();
        self.result()
    }

    /// Runs to the end of the horizon and also returns the event trace.
    pub fn run_traced(mut self) -> (RunResult, Vec<String>) {
        self.trace.get_or_insert_with(Vec::new);
        self.run_in_place();
        let trace = self.trace.take().unwrap_or_default();
        (self.result(), trace)
    }

    /// Runs to the end of the horizon and also returns the event log: what happened to
    /// every lead and deal.
    pub fn run_logged(mut self) -> (RunResult, Vec<log::LogRow>) {
        self.log.get_or_insert_with(Vec::new);
        self.run_in_place();
        let rows = self.log.take().unwrap_or_default();
        (self.result(), rows)
    }

    /// Adds a row to the event log, when one is kept.
    #[inline]
    fn log(
        &mut self,
        lead: Ref,
        kind: log::LogKind,
        who: Option<usize>,
        outcome: &'static str,
        amount: f64,
        wait: Option<Time>,
    ) {
        if self.log.is_none() {
            return;
        }
        let Some((id, segment)) = self
            .leads
            .get(lead)
            .map(|l| (l.id, l.deal.as_ref().map(|d| d.segment)))
        else {
            return;
        };
        let who = who.map(|e| (self.staff[e].role, e as u32));
        let at = self.now();
        if let Some(rows) = &mut self.log {
            rows.push(log::LogRow {
                at,
                lead: id,
                kind,
                who,
                outcome,
                amount,
                wait,
                segment,
            });
        }
    }

    /// Adds a row about a client (an order booked) to the event log, when one is kept.
    #[inline]
    fn log_client(&mut self, client: Ref, kind: log::LogKind, amount: f64) {
        if self.log.is_none() {
            return;
        }
        let Some((id, segment, owner)) = self
            .clients
            .get(client)
            .map(|c| (c.id, c.segment(), c.owner as usize))
        else {
            return;
        };
        let row = log::LogRow {
            at: self.now(),
            lead: log::Channel::Client.id(u64::from(id)),
            kind,
            who: Some((self.staff[owner].role, owner as u32)),
            outcome: "",
            amount,
            wait: None,
            segment: Some(segment),
        };
        if let Some(rows) = &mut self.log {
            rows.push(row);
        }
    }

    fn run_in_place(&mut self) {
        self.begin();
        let end = self.cal.end();
        let end_key = u128::from(end.0) << 64;
        loop {
            // Three sources, merged by key: the queue, the task ends, and the arrival
            // waiting outside the queue; the horizon if none comes first.
            let finish = self.finishes.first_key();
            let limit = self.next_arrival.min(finish).min(end_key);
            if let Some((now, ev)) = self.q.pop_before(limit) {
                self.deliver(now, ev);
                self.handle(ev);
            } else if limit == end_key {
                break;
            } else if finish < self.next_arrival {
                // Handled here, not through `handle`: the branches above already told
                // the kind, and a second, indirect one would guess it again.
                let e = self.finishes.winner();
                self.q.advance_to(finish);
                let task = self.staff[e].task_seq();
                let ev = Event::WorkFinished {
                    employee: e as u32,
                    task,
                };
                self.deliver(self.q.now(), ev);
                // The timer is cleared after the handler, and only if the person did not
                // start another task in it (which replaced it): one walk of the tree
                // instead of two. Until then it stays the earliest, and nothing looks.
                self.on_work_finished(e, task);
                if self.finishes.get(e) == Some(finish) {
                    self.finishes.clear(e);
                }
            } else {
                self.next_arrival = u128::MAX;
                self.q.advance_to(limit);
                self.deliver(self.q.now(), Event::LeadArrived);
                self.on_lead_arrived();
            }
        }
        // The clock stops at the horizon, not at the last event: cold calls credited now
        // create their leads at the end, after the time integral is closed.
        self.q.advance_to(u128::from(end.0) << 64);
        self.advance_clock(end);
        self.book_work_in_progress();
        self.credit_all_prospecting();
        if self.st.has_turnover() {
            for e in 0..self.staff.len() {
                self.book_slot(e);
            }
        }
        self.close_month();
        debug_assert_eq!(
            self.live.open_leads as usize,
            self.leads.len(),
            "lead bookkeeping"
        );
    }

    /// Book-keeping of every event before its handler: the clock, the count, the trace.
    #[inline]
    fn deliver(&mut self, now: Time, ev: Event) {
        self.advance_clock(now);
        self.ledger.events += 1;
        if let Some(tr) = &mut self.trace {
            tr.push(format!("{now} {ev:?}"));
        }
    }

    fn advance_clock(&mut self, now: Time) {
        let dt = (now - self.ledger.last_t).0;
        self.ledger.lead_area += u128::from(self.live.open_leads) * u128::from(dt);
        self.ledger.last_t = now;
    }

    fn handle(&mut self, ev: Event) {
        match ev {
            Event::LeadArrived => self.on_lead_arrived(),
            Event::PatienceExpired { lead } => self.on_patience_expired(lead),
            Event::AttemptDue { lead } => self.on_attempt_due(lead),
            Event::Redialed { lead } => {
                if self.lead_state(lead) == Some(LeadState::Redialing) {
                    self.ring(lead);
                }
            }
            Event::BreakDue { role, slot } => self.on_break_due(role as usize, slot as usize),
            Event::BreakOver { employee, task } => self.on_break_over(employee as usize, task),
            Event::NurtureReturned { lead } => self.on_nurture_returned(lead),
            Event::TouchDue { lead, touch } => self.on_touch_due(lead, touch),
            Event::DealWentCold { lead, touch } => self.on_deal_went_cold(lead, touch),
            Event::WorkFinished { employee, task } => {
                self.on_work_finished(employee as usize, task)
            }
            Event::SegmentStarted { role } => self.on_segment_started(role as usize),
            Event::MonthStarted { month } => self.on_month_started(month as usize),
            Event::OrderPlaced { client, ver } => self.on_order_placed(client, ver),
            Event::CareDue { client, ver } => self.on_care_due(client, ver),
            Event::ClientLapsed { client, ver } => self.on_client_lapsed(client, ver),
            Event::DormancyReached { client, ver } => self.on_dormancy_reached(client, ver),
            Event::ReactivationDue { client } => self.on_reactivation_due(client),
            Event::ClientCalled { client, ver } => self.on_client_called(client, ver),
            Event::DeskExpired { .. } => self.on_deadline(),
            Event::WrittenOff { client, ver } => self.on_written_off(client, ver),
            Event::EmployeeLeft { employee, gen } => self.on_employee_left(employee as usize, gen),
            Event::VacancyFilled { employee, gen } => {
                self.on_vacancy_filled(employee as usize, gen)
            }
        }
    }

    /// Schedules the first events: arrivals, shifts, months, the initial clients.
    fn begin(&mut self) {
        self.schedule_next_arrival();
        for r in 0..self.st.roles.len() {
            let plan = &self.st.roles[r].plan;
            let first = match self.cal.segment_at(plan, Time::ZERO) {
                Some(_) => Some(Time::ZERO),
                None => self.cal.next_segment_start(plan, Time::ZERO),
            };
            if let Some(t) = first {
                self.q.schedule(t, Event::SegmentStarted { role: r as u32 });
            }
            if let Some(b) = self.st.roles[r].breaks {
                // Slots nobody of the role takes are not scheduled.
                let people = self.st.roles[r].max_count() as usize;
                for slot in 0..b.slots().min(people) {
                    self.schedule_break(r, slot, Time::ZERO);
                }
            }
        }
        for m in 1..self.cal.months() {
            self.q.schedule(
                self.cal.month_start(m),
                Event::MonthStarted { month: m as u32 },
            );
        }
        self.staff_month(0);
        self.seed_initial_clients();
    }

    /// The month of the current instant.
    fn now(&self) -> Time {
        self.q.now()
    }

    fn stats(&mut self) -> &mut MonthStats {
        &mut self.stats[self.month]
    }

    fn on_month_started(&mut self, m: usize) {
        self.close_month();
        self.ledger.peak_pending = self
            .ledger
            .peak_pending
            .max(self.q.len() + self.finishes.len());
        self.ledger.peak_records = self
            .ledger
            .peak_records
            .max(self.leads.len() + self.clients.len() + self.desks.len());
        self.month = m;
        self.staff_month(m);
        self.compact_queues();
    }

    /// Records the stocks at the end of the current month.
    fn close_month(&mut self) {
        let (a, d, o) = (
            self.live.active_clients,
            self.live.dormant_clients,
            self.live.open_leads,
        );
        let backlog = self.backlog();
        let s = self.stats();
        s.clients_active = a;
        s.clients_dormant = d;
        s.open_leads = o;
        s.backlog = backlog;
    }

    /// `lead` reaches its outcome: a won deal (`won`) or a loss. An inbound lead's
    /// outcome is also booked in the month it arrived (its cohort), whenever it comes.
    fn finish_lead(&mut self, lead: Ref, won: bool) {
        let outbound = |l: &leads::Lead| l.deal.as_ref().is_some_and(|d| d.outbound);
        let Some((arrived, outbound)) = self.leads.free_with(lead, |l| (l.arrived, outbound(l)))
        else {
            return;
        };
        if !outbound {
            let cohort = &mut self.stats[self.cal.month_of(arrived)];
            if won {
                cohort.cohort_kept += 1;
            } else {
                cohort.cohort_lost += 1;
            }
        }
        self.live.open_leads -= 1;
        self.ledger.leads_finished += 1;
        self.ledger.finished_lead_ms += u128::from((self.now() - arrived).0);
    }

    fn result(self) -> RunResult {
        let end = self.cal.end();
        let open_lead_ms: u128 = self
            .leads
            .iter()
            .map(|(_, l)| u128::from((end - l.arrived).0))
            .sum();
        RunResult {
            scenario: self.sc.name.clone(),
            structure: self.st.name.clone(),
            seed: self.sc.seed,
            replication: self.replication,
            currency: self.sc.currency.clone(),
            gross_margin: self.sc.gross_margin,
            role_names: self.st.roles.iter().map(|r| r.name.clone()).collect(),
            month_dates: (0..self.cal.months())
                .map(|m| self.cal.month_date(m))
                .collect(),
            months: self.stats,
            events: self.ledger.events,
            peak_pending_events: self.ledger.peak_pending,
            peak_live_records: self.ledger.peak_records,
            lead_ms_in_system: self.ledger.lead_area as f64,
            finished_lead_ms: self.ledger.finished_lead_ms as f64,
            open_lead_ms: open_lead_ms as f64,
            leads_finished: self.ledger.leads_finished,
            open_leads: self.live.open_leads,
        }
    }
}
