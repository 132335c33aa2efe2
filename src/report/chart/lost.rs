//! Lost leads by month, stacked by cause: one panel per structure, on one scale, so
//! both the size and the make-up of the losses compare at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::Results;
use crate::sim::Metric;

/// The causes, first at the bottom of a bar: those staff could prevent in colour, darker
/// first (so they part in grey too), then those no staffing prevents in greys on top.
/// The middle field is the cause's key in the catalogue.
pub const CAUSES: [(Metric, &str, RGBColor); 7] = [
    (
        Metric::LostUnanswered,
        "cause.calls_abandoned",
        RGBColor(44, 17, 95),
    ),
    (
        Metric::LostLateResponse,
        "cause.slow_response",
        RGBColor(140, 41, 129),
    ),
    (
        Metric::LostDealCold,
        "cause.deals_cold",
        RGBColor(222, 73, 104),
    ),
    (
        Metric::ContractsLostLate,
        "cause.contracts_late",
        RGBColor(254, 159, 109),
    ),
    (
        Metric::LostNotReached,
        "cause.never_reached",
        RGBColor(120, 120, 120),
    ),
    (
        Metric::LostDealLost,
        "cause.decisions_lost",
        RGBColor(170, 170, 170),
    ),
    (
        Metric::LostAfterHours,
        "cause.after_hours",
        RGBColor(210, 210, 210),
    ),
];

pub struct Lost<'a> {
    r: &'a Results,
    looks: &'a [Look],
    /// Per structure, per cause: mean per month.
    stacks: Vec<Vec<Vec<f64>>>,
    replications: u64,
}

impl<'a> Lost<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Lost<'a>, ChartError> {
        let mut stacks = vec![];
        for v in 0..looks.len() {
            let mut causes = vec![];
            for (metric, _, _) in CAUSES {
                let s = r
                    .monthly(p, v, metric)
                    .ok_or_else(|| ChartError::missing("monthly", metric))?;
                causes.push(s.iter().map(|x| x.mean).collect());
            }
            stacks.push(causes);
        }
        Ok(Lost {
            r,
            looks,
            stacks,
            replications: r.manifest.points[p].replications,
        })
    }

    fn top(&self) -> f64 {
        let months = self.r.exp.months.len();
        let mut top = 0.0f64;
        for s in &self.stacks {
            for m in 0..months {
                top = top.max(s.iter().map(|c| c[m].max(0.0)).sum());
            }
        }
        top
    }
}

impl Figure for Lost<'_> {
    fn title(&self) -> String {
        self.r.words.f(
            "chart.lost.title",
            &[("scenario", &self.r.exp.scenario_name)],
        )
    }

    fn subtitle(&self) -> String {
        let w = self.r.words;
        w.n(
            "chart.lost.subtitle",
            self.replications,
            &[("warmup", &draw::warmup_note(self.r.exp.warmup_months, w))],
        )
    }

    fn words(&self) -> &'static crate::report::lang::Words {
        self.r.words
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (legend, body) = area.split_vertically(pen.px(30.0));
        let w = self.r.words;
        let items: Vec<(String, RGBColor)> = CAUSES
            .iter()
            .map(|(_, l, c)| (w.t(l).to_string(), *c))
            .collect();
        draw::swatch_row(&legend, &items, pen)?;
        let n = self.looks.len();
        let cols = n.clamp(1, 3);
        let rows = n.div_ceil(cols);
        let panels = body.split_evenly((rows, cols));
        let (_, ymax) = draw::span(std::iter::once(self.top()));
        let months = &self.r.exp.months;
        for (k, (look, stack)) in self.looks.iter().zip(&self.stacks).enumerate() {
            let panel = &panels[k];
            let (xr, xl) = draw::month_axis(months);
            let mut chart = ChartBuilder::on(panel)
                .caption(&look.name, pen.bold(15.0, look.colour))
                .margin(pen.px(6.0))
                .x_label_area_size(pen.pxu(if k + cols >= n { 40.0 } else { 24.0 }))
                .y_label_area_size(pen.pxu(if k % cols == 0 { 70.0 } else { 48.0 }))
                .build_cartesian_2d(xr, 0.0..ymax)?;
            let fmt = draw::month_formatter(months, 7, w);
            let y_desc = if k % cols == 0 {
                w.t("chart.lost.axis")
            } else {
                ""
            };
            let x_desc = if k + cols >= n {
                w.t("chart.month")
            } else {
                ""
            };
            draw::warmup(&mut chart, self.r.exp.warmup_months, (0.0, ymax))?;
            draw::mesh(
                &mut chart,
                pen,
                x_desc,
                y_desc,
                &fmt,
                &|y| draw::short(*y, w),
                xl,
            )?;
            let mut base = vec![0.0; months.len()];
            for (c, (_, _, colour)) in stack.iter().zip(CAUSES) {
                chart.draw_series(c.iter().enumerate().map(|(m, &h)| {
                    let x = m as f64;
                    let (b, t) = (base[m], base[m] + h.max(0.0));
                    Rectangle::new([(x - 0.4, b), (x + 0.4, t)], colour.filled())
                }))?;
                for (m, &h) in c.iter().enumerate() {
                    base[m] += h.max(0.0);
                }
            }
        }
        Ok(())
    }
}
