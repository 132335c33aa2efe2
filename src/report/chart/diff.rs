//! A forest plot of each structure minus the baseline on the same replications: the
//! paired 95% CI (thick) over the CI the comparison would have without common random
//! numbers (thin grey), and zero marked. An interval clear of zero is a real difference.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::{Diff, Results};
use crate::sim::Metric;

/// The panels: metric and the catalogue key of its label (`{c}` is the currency).
const PANELS: [(Metric, &str); 2] = [
    (Metric::GrossProfit, "chart.diff.gross_profit"),
    (Metric::LostLeads, "chart.diff.lost_leads"),
];

pub struct Forest<'a> {
    r: &'a Results,
    /// The structures compared with the baseline, in the experiment's order.
    rows: Vec<&'a Look>,
    /// Per panel, per row.
    diffs: Vec<Vec<Diff>>,
    replications: u64,
}

impl<'a> Forest<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Forest<'a>, ChartError> {
        let others: Vec<usize> = (0..looks.len()).filter(|&v| v != r.exp.baseline).collect();
        let mut diffs = vec![];
        for (metric, _) in PANELS {
            let mut row = vec![];
            for &v in &others {
                row.push(r.diff(p, v, metric).ok_or_else(|| {
                    ChartError::Unavailable(format!(
                        "no difference in {} for {} in the results",
                        metric.name(),
                        looks[v].name
                    ))
                })?);
            }
            diffs.push(row);
        }
        Ok(Forest {
            r,
            rows: others.iter().map(|&v| &looks[v]).collect(),
            diffs,
            replications: r.manifest.points[p].replications,
        })
    }
}

impl Figure for Forest<'_> {
    fn title(&self) -> String {
        let w = self.r.words;
        w.f(
            "chart.diff.title",
            &[
                ("base", &self.base()),
                ("scenario", &self.r.exp.scenario_name),
            ],
        )
    }

    fn subtitle(&self) -> String {
        self.r
            .words
            .n("chart.diff.subtitle", self.replications, &[])
    }

    fn words(&self) -> &'static crate::report::lang::Words {
        self.r.words
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let panels = area.split_evenly((1, 2));
        let currency = self.r.exp.currency.to_uppercase();
        for (k, ((_, label), diffs)) in PANELS.iter().zip(&self.diffs).enumerate() {
            let label = self.r.words.f(label, &[("c", &currency)]);
            self.panel(&panels[k], pen, &label, diffs)?;
        }
        Ok(())
    }
}

impl Forest<'_> {
    /// The baseline's label.
    fn base(&self) -> &str {
        let name = &self.r.exp.variants[self.r.exp.baseline].name;
        self.r.words.label("structure", name)
    }

    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        pen: &Pen,
        label: &str,
        diffs: &[Diff],
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let n = diffs.len();
        let ends = diffs.iter().flat_map(|d| {
            let w = draw::drawn(d.half).max(draw::drawn(d.unpaired_half));
            [d.mean - w, d.mean + w]
        });
        let (lo, hi) = ends.fold((0.0f64, 0.0f64), |(l, h), x| {
            if x.is_finite() {
                (l.min(x), h.max(x))
            } else {
                (l, h)
            }
        });
        let pad = (hi - lo).max(1.0) * 0.1;
        let labels: Vec<(f64, String)> = diffs
            .iter()
            .map(|d| (d.mean, value_label(d, pen)))
            .collect();
        // A label starts 30 points left of its dot.
        let right = draw::room_for_labels(area, pen, (lo - pad, hi + pad), &labels, -30.0)?;
        let names: Vec<String> = self.rows.iter().map(|l| l.name.clone()).collect();
        let x_desc = self.r.words.f("chart.diff.axis", &[("base", &self.base())]);
        let mut chart =
            draw::rows_panel(area, pen, label, &names, (lo - pad)..right, &x_desc, &|x| {
                draw::signed(*x, pen.words)
            })?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            draw::MUTED.stroke_width(pen.pxu(1.5)),
        )))?;
        for (i, (look, d)) in self.rows.iter().zip(diffs).enumerate() {
            let y = draw::row_y(i, n);
            let grey = RGBColor(170, 170, 170).stroke_width(pen.pxu(2.0));
            let thick = look.colour.stroke_width(pen.pxu(6.0));
            chart.draw_series([
                PathElement::new(
                    vec![
                        (d.mean - draw::drawn(d.unpaired_half), y - 0.18),
                        (d.mean + draw::drawn(d.unpaired_half), y - 0.18),
                    ],
                    grey,
                ),
                PathElement::new(
                    vec![
                        (d.mean - draw::drawn(d.half), y),
                        (d.mean + draw::drawn(d.half), y),
                    ],
                    thick,
                ),
            ])?;
            chart.draw_series(std::iter::once(draw::marker_element(
                (d.mean, y),
                look.marker,
                draw::INK,
                pen,
                0,
            )))?;
            let text = value_label(d, pen);
            chart.draw_series(std::iter::once(
                EmptyElement::at((d.mean, y))
                    + Text::new(text, (-pen.px(30.0), -pen.px(26.0)), pen.text(12.0)),
            ))?;
        }
        Ok(())
    }
}

/// The value label of a difference: signed, with its half-width.
fn value_label(d: &Diff, pen: &Pen) -> String {
    format!(
        "{}{}",
        if d.mean > 0.0 { "+" } else { "" },
        draw::pair(d.mean, d.half, pen.words)
    )
}
