//! People come and go: a person leaves after a random tenure, their vacancy is filled
//! after a time to fill (or at once by promotion from inside), and a new hire ramps up to
//! full speed and win rate. A leaver's open deals may go cold in the handover, and the
//! clients they own may leave with them. Only roles with a tenure take part; every draw
//! comes from the replication's turnover stream, so a scenario without turnover draws
//! nothing and runs exactly as before.

use rand::RngExt;

use super::slab::Ref;
use super::{Event, Simulation};
use crate::engine::Time;

/// One month in days, for tenures given in months.
const MONTH_DAYS: f64 = 365.25 / 12.0;

impl Simulation<'_> {
    /// Whether role `r`'s people leave and are replaced.
    pub(super) fn turnover_role(&self, r: usize) -> bool {
        self.st.roles[r].has_turnover()
    }

    /// The speed and win-rate multiplier of person `e` now: rising linearly from the
    /// role's `ramp_start` to 1 over the person's ramp.
    pub(super) fn ramp_factor(&self, e: usize) -> f64 {
        let emp = &self.staff[e];
        if emp.ramp == Time::ZERO {
            return 1.0;
        }
        let since = self.now().0.saturating_sub(emp.hired_at.0) as f64;
        let ramp = emp.ramp.0 as f64;
        if since >= ramp {
            return 1.0;
        }
        let start = self.st.roles[emp.role as usize].turnover.ramp_start;
        start + (1.0 - start) * since / ramp
    }

    /// Books slot `e`'s planned time since the last booking: full speed, ramping, or
    /// vacant, split at month boundaries, and the pay of the filled time. Every role of a
    /// structure with turnover is booked this way (a promotion can empty a slot of a role
    /// without turnover of its own).
    pub(super) fn book_slot(&mut self, e: usize) {
        let now = self.now();
        let emp = &self.staff[e];
        let (from, r) = (emp.booked_to, emp.role as usize);
        if now <= from || !emp.in_plan || !self.st.has_turnover() {
            self.staff[e].booked_to = now;
            return;
        }
        let (filled, hired, ramp) = (emp.filled, emp.hired_at.0, emp.ramp.0);
        let start = self.st.roles[r].turnover.ramp_start;
        let salary = self.st.roles[r].pay.salary_per_month;
        let mut a = from.0;
        while a < now.0 {
            let m = self.cal.month_of(Time(a));
            let b = self.cal.month_start(m + 1).0.min(now.0);
            let month_ms = (self.cal.month_start(m + 1) - self.cal.month_start(m)).0 as f64;
            let rm = &mut self.stats[m].roles[r];
            rm.plan_ms += b - a;
            if filled {
                rm.payroll += salary * (b - a) as f64 / month_ms;
            }
            if !filled {
                rm.vacant_ms += b - a;
            } else {
                // The ramp window [hired, hired + ramp) within [a, b).
                let (ra, rb) = (a.max(hired), b.min(hired.saturating_add(ramp)));
                let in_ramp = rb.saturating_sub(ra);
                rm.ramp_ms += in_ramp;
                rm.full_ms += (b - a) - in_ramp;
                let mut eff = ((b - a) - in_ramp) as f64;
                if in_ramp > 0 {
                    let (x0, x1) = ((ra - hired) as f64, (rb - hired) as f64);
                    let rf = ramp as f64;
                    eff +=
                        in_ramp as f64 * start + (1.0 - start) * (x1 * x1 - x0 * x0) / (2.0 * rf);
                }
                rm.effective_ms += eff;
            }
            a = b;
        }
        self.staff[e].booked_to = now;
    }

    /// Schedules the departure of the person now in slot `e`, after a tenure drawn from
    /// the role's distribution (for people on staff at the start, the same distribution:
    /// exact for an exponential tenure, which has no memory).
    fn schedule_leave(&mut self, e: usize) {
        let r = self.staff[e].role as usize;
        let Some(tenure) = &self.st.roles[r].turnover.tenure_months else {
            return;
        };
        let months = tenure.sample(&mut self.turnover_rng);
        // Nobody leaves within a minute of arriving: a tenure drawn near zero (the tail of
        // a distribution, validated to have a mean of a day or more) must not let leaving
        // and hiring spin without the clock moving.
        let tenure = Time::from_days(months * MONTH_DAYS).max(Time::MINUTE);
        let at = self.now() + tenure;
        let gen = self.staff[e].gen;
        self.q.schedule(
            at,
            Event::EmployeeLeft {
                employee: e as u32,
                gen,
            },
        );
    }

    /// A person takes slot `e` now (a veteran at the start, a hire, or a promotion).
    pub(super) fn fill_slot(&mut self, e: usize, ramp: Time, veteran: bool) {
        self.book_slot(e);
        let now = self.now();
        let emp = &mut self.staff[e];
        emp.filled = true;
        emp.hiring = false;
        emp.veteran = veteran;
        emp.hired_at = now;
        emp.ramp = ramp;
        if emp.in_plan {
            if !emp.active {
                emp.idle_from = now;
            }
            emp.active = true;
            emp.leaving = false;
        }
        if self.turnover_role(self.staff[e].role as usize) {
            self.schedule_leave(e);
        }
    }

    /// A planned slot has nobody: fill it from inside if a promotion is due, else start
    /// hiring.
    pub(super) fn open_vacancy(&mut self, e: usize) {
        let r = self.staff[e].role as usize;
        if let Some(p) = self.promotion_candidate(r) {
            let from_role = self.staff[p].role as usize;
            let ramp = self.st.roles[from_role].turnover.promoted_ramp;
            self.stats[self.month].roles[from_role].leavers += 1;
            self.vacate(p, false);
            self.stats[self.month].roles[r].hires += 1;
            self.fill_slot(e, ramp, false);
            self.after_fill(e);
            if self.staff[p].in_plan {
                self.open_vacancy(p);
            }
            return;
        }
        let t = &self.st.roles[r].turnover;
        let days = t.time_to_fill_days.sample(&mut self.turnover_rng);
        let emp = &mut self.staff[e];
        emp.hiring = true;
        let gen = emp.gen;
        self.q.schedule(
            self.now() + Time::from_days(days),
            Event::VacancyFilled {
                employee: e as u32,
                gen,
            },
        );
    }

    /// The longest-serving person due for promotion into role `to`, if any.
    fn promotion_candidate(&self, to: usize) -> Option<usize> {
        let now = self.now();
        (0..self.st.roles.len())
            .filter(|&y| y != to && self.st.roles[y].turnover.promote_to == Some(to))
            .flat_map(|y| self.members(y))
            .filter(|&p| {
                let emp = &self.staff[p];
                let after = self.st.roles[emp.role as usize].turnover.promote_after;
                emp.filled
                    && emp.active
                    && !emp.leaving
                    && (emp.veteran || now - emp.hired_at >= after)
            })
            .min_by_key(|&p| (!self.staff[p].veteran, self.staff[p].hired_at, p))
    }

    /// The person in slot `e` goes: their current task is finished, their work handed
    /// over. `walks` says whether they leave the company (clients may follow) rather
    /// than move inside it.
    fn vacate(&mut self, e: usize, walks: bool) {
        self.book_slot(e);
        let emp = &mut self.staff[e];
        emp.filled = false;
        emp.gen = emp.gen.wrapping_add(1);
        if emp.task.is_some() {
            emp.leaving = true;
        } else {
            emp.active = false;
        }
        let r = emp.role as usize;
        self.handover_losses(e, walks);
        if self.on_staff(r).next().is_some() {
            let kept = self.clients_of(e);
            self.hand_over(e);
            for c in kept {
                self.care_soon(c);
            }
        }
        // Else the deals and clients wait on the empty slot for the next person.
    }

    pub(super) fn on_employee_left(&mut self, e: usize, gen: u32) {
        let emp = &self.staff[e];
        if emp.gen != gen || !emp.filled {
            return; // replaced or laid off since
        }
        let r = emp.role as usize;
        self.stats().roles[r].leavers += 1;
        self.vacate(e, true);
        if self.staff[e].in_plan {
            self.open_vacancy(e);
        }
    }

    pub(super) fn on_vacancy_filled(&mut self, e: usize, gen: u32) {
        let emp = &self.staff[e];
        if emp.gen != gen || !emp.hiring {
            return;
        }
        let r = emp.role as usize;
        let t = &self.st.roles[r].turnover;
        let (ramp, cost) = (t.ramp, t.hiring_cost);
        let s = self.stats();
        s.roles[r].hires += 1;
        s.hiring_cost += cost;
        self.fill_slot(e, ramp, false);
        self.after_fill(e);
    }

    /// A person new to slot `e` takes up the work waiting on it.
    fn after_fill(&mut self, e: usize) {
        if self.staff[e].idle() {
            self.try_start(e);
        }
    }

    /// What the handover costs: open deals that go cold and, when the person leaves the
    /// company, clients who leave with them.
    fn handover_losses(&mut self, e: usize, walks: bool) {
        let t = &self.st.roles[self.staff[e].role as usize].turnover;
        let (cold, takes) = (
            t.handover_cold_share,
            if walks { t.takes_clients_share } else { 0.0 },
        );
        if cold > 0.0 {
            let deals: Vec<Ref> = self
                .leads
                .iter()
                .filter(|(_, l)| {
                    l.deal
                        .as_ref()
                        .is_some_and(|d| d.owner as usize == e && !d.in_progress)
                })
                .map(|(r, _)| r)
                .collect();
            for r in deals {
                if self.turnover_rng.random::<f64>() < cold {
                    self.staff[e].open_deals -= 1;
                    self.log(
                        r,
                        super::log::LogKind::LeadLost,
                        Some(e),
                        "deal_cold",
                        0.0,
                        None,
                    );
                    self.stats().lost_deal_cold += 1;
                    self.finish_lead(r, false);
                }
            }
        }
        if takes > 0.0 {
            let clients = self.clients_of(e);
            for r in clients {
                if self.turnover_rng.random::<f64>() < takes {
                    self.client_leaves_with_owner(r);
                }
            }
        }
    }
}
