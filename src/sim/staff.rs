//! People: who is on staff each month, what they pick next, how long it takes, and what
//! they cost. Dispatch is the only place priorities and time blocks act.

use std::collections::VecDeque;

use super::leads::LeadState;
use super::slab::Ref;
use super::{Event, Item, Simulation};
use crate::engine::Time;
use crate::model::{KindSet, WorkKind};

/// Kinds of work on what one person owns, each with a queue per person.
const OWNED: usize = 4;

/// The slot of an owned kind in a person's queues; `None`: a queue shared by the role.
#[inline]
const fn owned_slot(kind: WorkKind) -> Option<usize> {
    match kind {
        WorkKind::DealTouch => Some(0),
        WorkKind::Care => Some(1),
        WorkKind::Collection => Some(2),
        WorkKind::ClientCall => Some(3),
        _ => None,
    }
}

/// The tag of a cached off-shift stretch in `role_segment`.
pub(super) const OFF_SHIFT: u32 = u32::MAX;

/// What a person is doing.
#[derive(Clone, Copy, Debug)]
pub(super) struct Task {
    kind: WorkKind,
    item: Item,
    started: Time,
    work: Time,
    /// The part of `work` lost to switching from another kind (at its start).
    switch: Time,
    /// Done within the segment it started in (one stretch of busy time).
    single: bool,
}

/// One person of a role.
#[derive(Clone, Debug)]
pub(super) struct Employee {
    pub role: u32,
    /// On staff this month.
    pub active: bool,
    /// Off staff from this month, finishing the current task.
    pub leaving: bool,
    pub task: Option<Task>,
    /// Counts tasks started, so a stale entry in the idle line is recognised.
    task_seq: u32,
    pub last_kind: Option<WorkKind>,
    /// Free since (cold calling since, for a role that does it).
    pub idle_from: Time,
    /// On a break.
    on_break: bool,
    /// A break fell due during a task: taken when it ends, if the window allows.
    break_pending: bool,
    /// No work of the kinds that jump the list (`[work] overdue_first`) waiting for this
    /// person, in their own queues or their role's shared ones, is due before this: a
    /// lower bound, lowered as work arrives and made exact by a look at every queue, so
    /// that most picks need not look.
    due_bound: Time,
    /// Work on what this person owns, by [`owned_slot`]: touches due on their deals, care
    /// contacts due, calls to collect their clients' orders, their clients' calls.
    owned: [VecDeque<Item>; OWNED],
    pub open_deals: u32,
    pub clients: u32,
    /// A person holds this slot (else it is vacant).
    pub filled: bool,
    /// The slot is in this month's headcount plan.
    pub in_plan: bool,
    /// A vacancy fill is on its way.
    pub hiring: bool,
    /// Counts the people who held the slot, so a stale leave or fill is recognised.
    pub gen: u32,
    /// When the current person started, and how long their ramp-up lasts.
    pub hired_at: Time,
    pub ramp: Time,
    /// On staff since before the horizon.
    pub veteran: bool,
    /// The slot's planned time is booked up to here.
    pub booked_to: Time,
}

impl Employee {
    fn new(role: usize) -> Employee {
        Employee {
            role: role as u32,
            active: false,
            leaving: false,
            task: None,
            task_seq: 0,
            last_kind: None,
            idle_from: Time::ZERO,
            on_break: false,
            break_pending: false,
            owned: Default::default(),
            due_bound: Time::ZERO,
            open_deals: 0,
            clients: 0,
            filled: false,
            in_plan: false,
            hiring: false,
            gen: 0,
            hired_at: Time::ZERO,
            ramp: Time::ZERO,
            veteran: false,
            booked_to: Time::ZERO,
        }
    }

    /// Counts tasks started: the current task's number.
    pub fn task_seq(&self) -> u32 {
        self.task_seq
    }

    fn available(&self) -> bool {
        self.active && !self.leaving
    }

    pub fn idle(&self) -> bool {
        self.active && self.task.is_none() && !self.on_break
    }

    /// On staff, staying, and not on a break: at work, busy or not.
    pub fn present(&self) -> bool {
        self.available() && !self.on_break
    }
}

impl Simulation<'_> {
    /// Creates every person who is on staff in some month (inactive until their month).
    pub(super) fn hire_staff(&mut self) {
        for (r, role) in self.st.roles.iter().enumerate() {
            self.role_first.push(self.staff.len());
            for _ in 0..role.max_count() {
                self.staff.push(Employee::new(r));
            }
        }
        self.role_first.push(self.staff.len());
    }

    pub(super) fn members(&self, role: usize) -> std::ops::Range<usize> {
        self.role_first[role]..self.role_first[role + 1]
    }

    /// People of `role` on staff and staying.
    pub(super) fn on_staff(&self, role: usize) -> impl Iterator<Item = usize> + '_ {
        self.members(role).filter(|&e| self.staff[e].available())
    }

    /// The person of `role` on staff with the least `load` (lowest index on ties).
    pub(super) fn least_loaded(&self, role: usize, load: impl Fn(&Employee) -> u32) -> usize {
        self.on_staff(role)
            .min_by_key(|&e| (load(&self.staff[e]), e))
            .or_else(|| {
                // Everyone has left and the vacancies are open: the work waits on the
                // planned slot with the least of it, for the next person.
                self.members(role)
                    .filter(|&e| self.staff[e].in_plan)
                    .min_by_key(|&e| (load(&self.staff[e]), e))
            })
            .expect("validation keeps an owning role planned every month")
    }

    /// Month `m` begins: headcounts change, pay is booked, leavers hand their work over.
    pub(super) fn staff_month(&mut self, m: usize) {
        self.credit_all_prospecting();
        let mut leavers = vec![];
        let mut joiners = vec![];
        let mut vacancies = vec![];
        let mut veterans = vec![];
        let st_turnover = self.st.has_turnover();
        for (r, role) in self.st.roles.iter().enumerate() {
            let count = role.count[m] as usize;
            let paid = self.cal.working_ms_in_month(&role.plan, m) * count as u64;
            let rm = &mut self.stats[m].roles[r];
            rm.headcount = count as u32;
            rm.paid_ms = paid;
            // With turnover, pay follows the time each slot is filled (booked as it passes).
            rm.payroll = if st_turnover {
                0.0
            } else {
                role.pay.salary_per_month * count as f64
            };
            rm.outsourcing += role.pay.per_hour * Time(paid).hours();
            let turnover = role.has_turnover();
            for (i, e) in self.members(r).enumerate() {
                if st_turnover {
                    self.book_slot(e);
                }
                let now = self.q.now();
                let emp = &mut self.staff[e];
                emp.in_plan = i < count;
                if i < count && !emp.filled && !emp.hiring {
                    if turnover && m > 0 {
                        // A planned increase is reached through hiring, as any vacancy.
                        vacancies.push(e);
                        continue;
                    }
                    emp.filled = true;
                    emp.veteran = true;
                    emp.hired_at = now;
                    if turnover {
                        veterans.push(e);
                    }
                }
                let emp = &mut self.staff[e];
                if i < count {
                    if !emp.filled {
                        continue; // vacant until the hire arrives
                    }
                    if !emp.active {
                        joiners.push(e);
                        emp.idle_from = now;
                    }
                    emp.active = true;
                    emp.leaving = false;
                } else if turnover && (emp.filled || emp.hiring) {
                    // A planned cut: the person goes, or the hire is called off.
                    emp.filled = false;
                    emp.hiring = false;
                    emp.gen = emp.gen.wrapping_add(1);
                    if emp.active && !emp.leaving {
                        if emp.task.is_some() {
                            emp.leaving = true;
                        } else {
                            emp.active = false;
                        }
                        leavers.push(e);
                    }
                } else if emp.active && !emp.leaving {
                    if emp.task.is_some() {
                        emp.leaving = true;
                    } else {
                        emp.active = false;
                    }
                    leavers.push(e);
                }
            }
        }
        for &e in &leavers {
            self.hand_over(e);
        }
        for e in veterans {
            let ramp = Time::ZERO;
            self.fill_slot(e, ramp, true);
        }
        for e in vacancies {
            self.open_vacancy(e);
        }
        let wake: Vec<usize> = (0..self.staff.len())
            .filter(|&e| self.staff[e].idle())
            .collect();
        for e in wake {
            self.try_start(e);
        }
    }

    /// A leaver's deals and clients, and the work queued on them, pass to colleagues.
    pub(super) fn hand_over(&mut self, from: usize) {
        let role = self.staff[from].role as usize;
        let deals: Vec<Ref> = self
            .leads
            .iter()
            .filter(|(_, l)| l.deal.as_ref().is_some_and(|d| d.owner as usize == from))
            .map(|(r, _)| r)
            .collect();
        for r in deals {
            let to = self.least_loaded(role, |x| x.open_deals);
            if let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) {
                d.owner = to as u32;
            }
            self.staff[from].open_deals -= 1;
            self.staff[to].open_deals += 1;
        }
        self.reassign_clients(from);
        let touches = std::mem::take(self.queue(from, WorkKind::DealTouch));
        for item in touches {
            if let Some(d) = self.leads.get(item.r).and_then(|l| l.deal.as_ref()) {
                let to = d.owner as usize;
                self.queue(to, WorkKind::DealTouch).push_back(item);
            }
        }
        let care = std::mem::take(self.queue(from, WorkKind::Care));
        for item in care {
            if let Some(to) = self.client_owner_of(item.r) {
                self.queue(to, WorkKind::Care).push_back(item);
            }
        }
        for kind in [WorkKind::Collection, WorkKind::ClientCall] {
            let items = std::mem::take(self.queue(from, kind));
            for item in items {
                match self.desk_client(item.r).map(|c| self.client_owner_of(c)) {
                    Some(Some(to)) => self.queue(to, kind).push_back(item),
                    // The client left with this person: the work goes with them.
                    Some(None) => self.drop_desk(item.r),
                    None => {}
                }
            }
        }
        // Colleagues received work they have not looked at.
        for e in self.members(role) {
            self.staff[e].due_bound = Time::ZERO;
        }
    }

    /// Drops stale items (abandoned calls, cold deals) so queues do not grow with the
    /// horizon when nobody works them.
    pub(super) fn compact_queues(&mut self) {
        for k in WorkKind::ALL {
            let mut q = std::mem::take(&mut self.pooled[k.index()]);
            q.retain(|&item| self.valid(k, item));
            self.pooled[k.index()] = q;
        }
    }

    /// New unowned work: taken at once by the longest-idle person of the most committed
    /// role who is free and allowed to do it now, else queued.
    /// People cold-calling count as free: cold calls are only for when no other work
    /// waits.
    pub(super) fn offer(&mut self, kind: WorkKind, item: Item) {
        debug_assert!(self.valid(kind, item), "offered work that is not work");
        if let Some(due) = self.jumps_list(kind, item) {
            for i in 0..self.kind_roles[kind.index()].len() {
                for e in self.members(self.kind_roles[kind.index()][i]) {
                    self.lower_due_bound(e, due);
                }
            }
        }
        let st = self.st;
        let mut queued = false;
        for i in 0..self.kind_roles[kind.index()].len() {
            let r = self.kind_roles[kind.index()][i];
            if self.idle[r].is_empty() {
                continue;
            }
            let (seg_end, tag) = match self.segment(r) {
                Some((end, tag)) if st.roles[r].masks[tag as usize].contains(kind) => (end, tag),
                _ => continue,
            };
            if !queued && !self.cold_callers[r] {
                // An idle person on shift has no other work they may do now (they would
                // have taken it), so they take this item: no trip through the queue.
                if let Some(e) = self.pop_idle(r) {
                    self.start(e, kind, item, (seg_end, tag));
                    return;
                }
                continue;
            }
            // Someone woken may take other work first (a deal their cold calls just
            // booked): queue the item and go down the idle line until it is taken.
            if !queued {
                self.pooled[kind.index()].push_back(item);
                queued = true;
            }
            for _ in 0..self.idle[r].len() {
                let Some(e) = self.pop_idle(r) else { break };
                self.try_start(e);
                if self.last_kind == kind && self.last_item == item {
                    return;
                }
            }
        }
        if !queued {
            self.pooled[kind.index()].push_back(item);
        }
    }

    /// The longest-idle person of role `r`: the front of the role's idle line, skipping
    /// entries that went stale (the person started a task since, or left).
    fn pop_idle(&mut self, r: usize) -> Option<usize> {
        while let Some((e, seq)) = self.idle[r].pop_front() {
            let emp = &self.staff[e as usize];
            if emp.idle() && emp.task_seq == seq {
                return Some(e as usize);
            }
        }
        None
    }

    /// `e` found nothing to do: free from now (cold calling, if the role does), at the
    /// back of its role's idle line.
    fn become_idle(&mut self, e: usize) {
        self.staff[e].idle_from = self.now();
        let emp = &self.staff[e];
        let r = emp.role as usize;
        self.idle[r].push_back((e as u32, emp.task_seq));
        let members = self.role_first[r + 1] - self.role_first[r];
        if self.idle[r].len() > 2 * members + 16 {
            self.compact_idle(r);
        }
    }

    /// Drops the stale entries of role `r`'s idle line. Kept out of `become_idle`, which
    /// runs on most task ends: its registers and allocation would weigh on every call.
    #[cold]
    #[inline(never)]
    fn compact_idle(&mut self, r: usize) {
        let members = self.role_first[r + 1] - self.role_first[r];
        // Keep the first valid entry of each person: their place in the line.
        let mut line = std::mem::take(&mut self.idle[r]);
        let mut seen = vec![false; members];
        line.retain(|&(e, seq)| {
            let emp = &self.staff[e as usize];
            let i = e as usize - self.role_first[r];
            let keep = emp.idle() && emp.task_seq == seq && !seen[i];
            seen[i] = true;
            keep
        });
        self.idle[r] = line;
    }

    /// The working segment role `r` is in now: its end and tag; `None` off shift.
    #[inline]
    fn segment(&mut self, r: usize) -> Option<(Time, u32)> {
        let now = self.now();
        let (from, to, tag) = self.role_segment[r];
        if from <= now && now < to {
            return (tag != OFF_SHIFT).then_some((to, tag));
        }
        self.find_segment(r)
    }

    #[cold]
    fn find_segment(&mut self, r: usize) -> Option<(Time, u32)> {
        let now = self.now();
        let plan = &self.st.roles[r].plan;
        let found = self.cal.segment_at(plan, now);
        let next = || {
            self.cal
                .next_segment_start(plan, now)
                .unwrap_or(Time::NEVER)
        };
        self.role_segment[r] = match found {
            Some((end, tag)) => (now, end, tag),
            None => (now, next(), OFF_SHIFT),
        };
        found
    }

    /// Books `task`, done from its start on, as busy time month by month: its first
    /// `switch` as switching, the rest as time on its kind.
    fn book_busy(&mut self, e: usize, task: &Task) {
        let (st, cal) = (self.st, self.cal);
        let r = self.staff[e].role as usize;
        let stats = &mut self.stats;
        let mut switch = task.switch;
        cal.advance(&st.roles[r].plan, task.started, task.work, |at, len| {
            let s = switch.min(len);
            switch = switch - s;
            stats[cal.month_of(at)].roles[r].book_task(task.kind, len, s);
        });
    }

    /// At the horizon: work still in progress counts as busy up to it (the calendar walk
    /// stops there), as cold calling does: time worked is time worked, finished or not.
    pub(super) fn book_work_in_progress(&mut self) {
        for e in 0..self.staff.len() {
            if let Some(task) = self.staff[e].task {
                self.book_busy(e, &task);
            }
        }
    }

    /// The due time of new work whose kind may jump the lists (`[work] overdue_first`).
    fn jumps_list(&self, kind: WorkKind, item: Item) -> Option<Time> {
        self.sc
            .dispatch
            .overdue_first
            .contains(kind)
            .then(|| self.due_of(kind, item))
    }

    /// Work due at `due` may wait for `e` now: their bound comes down to it.
    fn lower_due_bound(&mut self, e: usize, due: Time) {
        let b = &mut self.staff[e].due_bound;
        *b = (*b).min(due);
    }

    /// New work on something `e` owns (a deal touch, a care contact).
    pub(super) fn push_owned(&mut self, e: usize, kind: WorkKind, item: Item) {
        if let Some(due) = self.jumps_list(kind, item) {
            self.lower_due_bound(e, due);
        }
        self.queue(e, kind).push_back(item);
        if self.staff[e].idle() {
            self.try_start(e);
        }
    }

    /// Whether a queued item is still work (not abandoned, cold, or done elsewhere).
    fn valid(&self, kind: WorkKind, item: Item) -> bool {
        match kind {
            WorkKind::InboundCall => self.lead_state(item.r) == Some(LeadState::Ringing),
            WorkKind::LeadCall => self.lead_state(item.r) == Some(LeadState::Waiting),
            WorkKind::DealTouch | WorkKind::Preparation => {
                self.deal_waits_for(item.r, item.ver).is_some()
            }
            WorkKind::Contract
            | WorkKind::OrderEntry
            | WorkKind::Collection
            | WorkKind::ClientCall => self.desk_due(item.r).is_some(),
            WorkKind::Care => self.care_valid(item),
            WorkKind::Reactivation => self.reactivation_valid(item),
            WorkKind::Prospecting => false,
        }
    }

    /// Where work of `kind` waits for `e`: their own queue, or the shared one.
    #[inline]
    fn queue(&mut self, e: usize, kind: WorkKind) -> &mut VecDeque<Item> {
        match owned_slot(kind) {
            Some(s) => &mut self.staff[e].owned[s],
            None => &mut self.pooled[kind.index()],
        }
    }

    /// The oldest valid item of `kind` that `e` may take, discarding stale ones.
    fn take(&mut self, e: usize, kind: WorkKind) -> Option<Item> {
        loop {
            let item = self.queue(e, kind).pop_front()?;
            if self.valid(kind, item) {
                return Some(item);
            }
        }
    }

    /// The oldest valid item of `kind` that `e` may take, left in its queue, with its due
    /// time (one look-up of its record for desk work).
    fn peek_due(&mut self, e: usize, kind: WorkKind) -> Option<(Item, Time)> {
        loop {
            let item = *self.queue(e, kind).front()?;
            let due = match kind {
                WorkKind::Contract
                | WorkKind::OrderEntry
                | WorkKind::Collection
                | WorkKind::ClientCall => self.desk_due(item.r),
                _ => self.valid(kind, item).then(|| self.due_of(kind, item)),
            };
            if let Some(due) = due {
                return Some((item, due));
            }
            self.queue(e, kind).pop_front();
        }
    }

    /// Of the kinds in `kinds`, the waiting item past its due time that fell due first
    /// (the front of each queue: they are kept in the order they fall due).
    /// When `kinds` are every kind of the role that may jump its list, the look is complete
    /// and leaves `e`'s due bound exact.
    fn overdue(&mut self, e: usize, kinds: KindSet, complete: bool) -> Option<(WorkKind, Item)> {
        let now = self.now();
        if now < self.staff[e].due_bound {
            return None;
        }
        let mut best: Option<(Time, WorkKind, Item)> = None;
        let mut first = Time::NEVER;
        for kind in WorkKind::DESK {
            if !kinds.contains(kind) {
                continue;
            }
            let Some((item, due)) = self.peek_due(e, kind) else {
                continue;
            };
            first = first.min(due);
            if due <= now && best.is_none_or(|(b, _, _)| due < b) {
                best = Some((due, kind, item));
            }
        }
        match best {
            Some((_, kind, item)) => {
                self.queue(e, kind).pop_front();
                // What is next in that queue is not known without a look: look next time.
                self.staff[e].due_bound = Time::ZERO;
                Some((kind, item))
            }
            None => {
                if complete {
                    self.staff[e].due_bound = first;
                }
                None
            }
        }
    }

    /// A free person on shift picks the highest-priority work the current time block
    /// allows; with nothing waiting, cold-calls if the role does. Work past its due time
    /// of the kinds the scenario names (`[work] overdue_first`) comes before the list,
    /// earliest due first, after a ringing call when the role answers the phone.
    pub(super) fn try_start(&mut self, e: usize) {
        if !self.staff[e].idle() {
            return;
        }
        // Cold calling done since the person became free is credited first; the meetings
        // it booked may already give this person a deal to work.
        if self.cold_callers[self.staff[e].role as usize] {
            self.credit_prospecting(e);
            if !self.staff[e].idle() {
                return;
            }
        }
        let st = self.st;
        let role = &st.roles[self.staff[e].role as usize];
        let Some((seg_end, tag)) = self.segment(self.staff[e].role as usize) else {
            self.become_idle(e);
            return;
        };
        let mask = role.masks[tag as usize];
        let r = self.staff[e].role as usize;
        let all = self.overdue_kinds[r];
        let urgent = KindSet(all.0 & mask.0);
        if urgent.0 != 0 {
            if let Some((kind, item)) = self.overdue(e, urgent, urgent == all) {
                let call = WorkKind::InboundCall;
                if self.calls_first[r] && mask.contains(call) {
                    if let Some(ringing) = self.take(e, call) {
                        // The overdue item stays first in its queue.
                        self.queue(e, kind).push_front(item);
                        self.start(e, call, ringing, (seg_end, tag));
                        return;
                    }
                }
                self.start(e, kind, item, (seg_end, tag));
                return;
            }
        }
        for &kind in &role.works {
            // Most queues are empty most of the time: a look at the length first.
            if kind == WorkKind::Prospecting
                || !mask.contains(kind)
                || self.queue(e, kind).is_empty()
            {
                continue;
            }
            if let Some(item) = self.take(e, kind) {
                self.start(e, kind, item, (seg_end, tag));
                return;
            }
        }
        self.become_idle(e);
    }

    /// `e` starts `item`, in a working segment that ends at `seg_end`, under `tag` of the
    /// role's plan (a batch block's work goes at its focus, with no switch).
    fn start(&mut self, e: usize, kind: WorkKind, item: Item, (seg_end, tag): (Time, u32)) {
        let work = match kind {
            WorkKind::InboundCall => self.start_answer(e, item.r),
            WorkKind::LeadCall => self.start_attempt(e, item.r),
            WorkKind::DealTouch => self.start_touch(item.r),
            WorkKind::Contract
            | WorkKind::OrderEntry
            | WorkKind::Collection
            | WorkKind::ClientCall => self.start_desk(item.r),
            WorkKind::Care => self.start_care(item.r),
            WorkKind::Reactivation => self.start_reactivation(item.r),
            WorkKind::Preparation => self.start_prep(item.r),
            WorkKind::Prospecting => Time::ZERO, // never queued: idle time is cold calling
        };
        let (st, cal, now) = (self.st, self.cal, self.now());
        let r = self.staff[e].role as usize;
        let role = &st.roles[r];
        let ramp = if role.has_turnover() {
            self.ramp_factor(e)
        } else {
            1.0
        };
        let tag = tag as usize;
        let batch = role.focus[tag];
        let speed = role.speed * ramp * batch.unwrap_or(1.0);
        let mut work = if speed == 1.0 {
            work
        } else {
            Time::from_secs(work.secs() / speed)
        };
        (self.last_kind, self.last_item) = (kind, item);
        let emp = &mut self.staff[e];
        let switch = if emp.last_kind.is_some_and(|k| k != kind) && batch.is_none() {
            role.switch
        } else {
            Time::ZERO
        };
        work += switch;
        // Most tasks end inside the segment they start in: no calendar walk needed.
        let single = now + work <= seg_end;
        let end = if single {
            Some(now + work)
        } else {
            cal.advance(&role.plan, now, work, |_, _| {})
        };
        emp.last_kind = Some(kind);
        emp.task = Some(Task {
            kind,
            item,
            started: now,
            work,
            switch,
            single,
        });
        emp.task_seq = emp.task_seq.wrapping_add(1);
        if let Some(end) = end {
            // Keyed as if queued, so the order of events is that of one queue; a task
            // ending at or after the horizon never finishes, as the queue would drop it.
            let key = self.q.reserve_key(end);
            if end < self.cal.end() {
                self.finishes.set(e, key);
            }
        }
    }

    pub(super) fn on_work_finished(&mut self, e: usize, seq: u32) {
        let now = self.now();
        let emp = &mut self.staff[e];
        if emp.task_seq != seq {
            debug_assert!(false, "a task finished that was never started");
            return;
        }
        let Some(task) = emp.task.take() else {
            return;
        };
        // Free from now: the finish below may already hand this person new work.
        emp.idle_from = now;
        if task.single {
            let (r, m) = (emp.role as usize, self.cal.month_of(task.started));
            self.stats[m].roles[r].book_task(task.kind, task.work, task.switch);
        } else {
            self.book_busy(e, &task);
        }
        match task.kind {
            WorkKind::InboundCall | WorkKind::LeadCall => self.finish_call(e, task.item.r),
            WorkKind::DealTouch => self.finish_touch(task.item.r),
            WorkKind::Contract
            | WorkKind::OrderEntry
            | WorkKind::Collection
            | WorkKind::ClientCall => self.finish_desk(task.item.r),
            WorkKind::Care => self.finish_care(task.item),
            WorkKind::Reactivation => self.finish_reactivation(task.item),
            WorkKind::Preparation => self.finish_prep(task.item.r),
            WorkKind::Prospecting => {}
        }
        self.after_task(e);
    }

    /// A person is free again: off staff if leaving, on a break put off by this task,
    /// else on to the next task.
    fn after_task(&mut self, e: usize) {
        let emp = &mut self.staff[e];
        if emp.task.is_some() {
            // The finished task's outcome already handed this person their next task
            // (a qualified lead's deal, say): the break or the leaving waits for its end.
            return;
        }
        if emp.leaving {
            emp.leaving = false;
            emp.active = false;
        } else if emp.break_pending {
            emp.break_pending = false;
            let b = self.st.roles[emp.role as usize].breaks;
            match b {
                // Still in the window: the break starts now.
                Some(b) if self.now().time_of_day() < b.to => self.begin_break(e, b.len),
                _ => self.try_start(e),
            }
        } else {
            self.try_start(e);
        }
    }

    /// Schedules break slot `slot` of role `r` at its first start at or after `from`
    /// that falls inside the role's hours.
    pub(super) fn schedule_break(&mut self, r: usize, slot: usize, from: Time) {
        let Some(b) = self.st.roles[r].breaks else {
            return;
        };
        let plan = &self.st.roles[r].plan;
        let end = self.cal.end();
        let mut day = u64::from(from.day());
        loop {
            let t = Time(day * Time::DAY.0 + b.start(slot));
            if t >= end {
                return;
            }
            if t >= from && self.cal.segment_at(plan, t).is_some() {
                let ev = Event::BreakDue {
                    role: r as u32,
                    slot: slot as u32,
                };
                self.q.schedule(t, ev);
                return;
            }
            day += 1;
        }
    }

    /// Break slot `slot` of role `r` starts: its people who are free go on their break,
    /// those at a task take it when the task ends.
    pub(super) fn on_break_due(&mut self, r: usize, slot: usize) {
        let Some(b) = self.st.roles[r].breaks else {
            return;
        };
        // The people of the slot: every `slots`-th of the role from its `slot`-th.
        for e in self.members(r).skip(slot).step_by(b.slots()) {
            if !self.staff[e].present() {
                continue;
            }
            if self.cold_callers[r] {
                // Dialling until now is credited; it may have booked a deal to work.
                self.credit_prospecting(e);
            }
            if self.staff[e].task.is_some() {
                self.staff[e].break_pending = true;
            } else {
                self.begin_break(e, b.len);
            }
        }
        self.schedule_break(r, slot, self.now() + Time::MINUTE);
    }

    /// `e`, free, goes on a break of `len`.
    fn begin_break(&mut self, e: usize, len: Time) {
        let (now, month) = (self.now(), self.month);
        let emp = &mut self.staff[e];
        emp.on_break = true;
        // The person's place in the idle line goes: they rejoin it when back.
        emp.task_seq = emp.task_seq.wrapping_add(1);
        let seq = emp.task_seq;
        let r = emp.role as usize;
        self.stats[month].roles[r].break_ms += len.0;
        self.q.schedule(
            now + len,
            Event::BreakOver {
                employee: e as u32,
                task: seq,
            },
        );
    }

    pub(super) fn on_break_over(&mut self, e: usize, seq: u32) {
        let now = self.now();
        let emp = &mut self.staff[e];
        if emp.task_seq != seq || !emp.on_break {
            return;
        }
        emp.on_break = false;
        emp.idle_from = now;
        self.try_start(e);
    }

    /// Whether role `r`'s people answer the phone in the segment they are in now.
    pub(super) fn answers_now(&mut self, r: usize) -> bool {
        match self.segment(r) {
            Some((_, tag)) => self.st.roles[r].masks[tag as usize].contains(WorkKind::InboundCall),
            None => false,
        }
    }

    pub(super) fn on_segment_started(&mut self, r: usize) {
        for e in self.members(r) {
            self.try_start(e);
        }
        let plan = &self.st.roles[r].plan;
        if let Some(t) = self.cal.next_segment_start(plan, self.now()) {
            self.q.schedule(t, Event::SegmentStarted { role: r as u32 });
        }
    }
}
