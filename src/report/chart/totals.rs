//! Totals over the horizon per structure, as horizontal bars with 95% CI whiskers:
//! gross profit, revenue, payroll and lost leads.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen, Plane};
use super::{ChartError, Figure};
use crate::report::results::{Results, Stat};
use crate::sim::Metric;

/// The panels: metric and the catalogue key of its label (`{c}` is the currency).
const PANELS: [(Metric, &str); 4] = [
    (Metric::GrossProfit, "chart.totals.gross_profit"),
    (Metric::Revenue, "chart.totals.revenue"),
    (Metric::Payroll, "chart.totals.payroll"),
    (Metric::LostLeads, "chart.totals.lost_leads"),
];

pub struct Totals<'a> {
    r: &'a Results,
    looks: &'a [Look],
    /// Per panel, per structure.
    stats: Vec<Vec<Stat>>,
    replications: u64,
}

impl<'a> Totals<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Totals<'a>, ChartError> {
        let mut stats = vec![];
        for (metric, _) in PANELS {
            let mut row = vec![];
            for v in 0..looks.len() {
                row.push(
                    r.total(p, v, metric)
                        .ok_or_else(|| ChartError::missing("total", metric))?,
                );
            }
            stats.push(row);
        }
        Ok(Totals {
            r,
            looks,
            stats,
            replications: r.manifest.points[p].replications,
        })
    }
}

impl Figure for Totals<'_> {
    fn title(&self) -> String {
        let months = self.r.exp.counted().len();
        self.r.words.n(
            "chart.totals.title",
            months as u64,
            &[("scenario", &self.r.exp.scenario_name)],
        )
    }

    fn subtitle(&self) -> String {
        self.r
            .words
            .n("chart.totals.subtitle", self.replications, &[])
    }

    fn words(&self) -> &'static crate::report::lang::Words {
        self.r.words
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let panels = area.split_evenly((2, 2));
        let currency = self.r.exp.currency.to_uppercase();
        for (k, ((_, label), stats)) in PANELS.iter().zip(&self.stats).enumerate() {
            let label = self.r.words.f(label, &[("c", &currency)]);
            self.panel(&panels[k], pen, &label, stats)?;
        }
        Ok(())
    }
}

impl Totals<'_> {
    /// The value label of a bar: the mean and its half-width.
    fn label(&self, s: &Stat, pen: &Pen) -> String {
        let half = draw::drawn(s.half);
        if half > 0.0 {
            draw::pair(s.mean, half, pen.words)
        } else {
            draw::short(s.mean, pen.words)
        }
    }

    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        pen: &Pen,
        label: &str,
        stats: &[Stat],
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (lo, hi) = draw::span(
            stats
                .iter()
                .flat_map(|s| [s.mean - draw::drawn(s.half), s.mean + draw::drawn(s.half)]),
        );
        // Room for the value labels right of the whiskers: a tenth more than the data,
        // or as much as the longest label needs.
        let labels: Vec<(f64, String)> = stats
            .iter()
            .map(|s| (s.mean.max(s.mean + draw::drawn(s.half)), self.label(s, pen)))
            .collect();
        let hi = draw::room_for_labels(area, pen, (lo, hi * 1.12), &labels, 6.0)?;
        let names: Vec<String> = self.looks.iter().map(|l| l.name.clone()).collect();
        let mut chart = draw::rows_panel(area, pen, label, &names, lo..hi, "", &|x| {
            draw::short(*x, pen.words)
        })?;
        self.bars(&mut chart, pen, stats)
    }

    fn bars<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Plane<'a, DB>,
        pen: &Pen,
        stats: &[Stat],
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let n = stats.len();
        for (i, (look, s)) in self.looks.iter().zip(stats).enumerate() {
            let y = draw::row_y(i, n);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.32), (s.mean, y + 0.32)],
                look.colour.mix(0.85).filled(),
            )))?;
            let whisker = draw::INK.stroke_width(pen.pxu(1.5));
            let half = draw::drawn(s.half);
            let (a, b) = (s.mean - half, s.mean + half);
            chart.draw_series([
                PathElement::new(vec![(a, y), (b, y)], whisker),
                PathElement::new(vec![(a, y - 0.14), (a, y + 0.14)], whisker),
                PathElement::new(vec![(b, y - 0.14), (b, y + 0.14)], whisker),
            ])?;
            let text = self.label(s, pen);
            chart.draw_series(std::iter::once(
                EmptyElement::at((b.max(s.mean), y))
                    + Text::new(text, (pen.px(6.0), -pen.px(7.0)), pen.text(12.0)),
            ))?;
        }
        Ok(())
    }
}
