//! Time by activity: where each role's paid hours go over the horizon, one stacked bar
//! per structure and role, so a structure that frees its sellers' time shows it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::Results;

/// The activities, in the order they stack from the left: work first (selling darkest),
/// then switching, breaks and idle time in greys. The label is `activity.NAME` in the
/// catalogue.
pub const ACTIVITIES: [(&str, RGBColor); 9] = [
    ("selling", RGBColor(44, 17, 95)),
    ("preparation", RGBColor(114, 31, 129)),
    ("leads", RGBColor(183, 55, 121)),
    ("clients", RGBColor(241, 96, 93)),
    ("paperwork", RGBColor(254, 176, 120)),
    ("prospecting", RGBColor(252, 253, 191)),
    ("switching", RGBColor(110, 110, 110)),
    ("breaks", RGBColor(170, 170, 170)),
    ("idle", RGBColor(225, 225, 225)),
];

/// The column of activity `a` of `role`.
pub fn column(role: &str, activity: &str) -> String {
    format!("time_{role}_{activity}_share")
}

/// The roles of variant `v` that have time-by-activity columns, in column order.
pub fn roles(r: &Results, v: usize) -> Vec<String> {
    r.exp.metric_names[v]
        .iter()
        .filter_map(|c| c.strip_prefix("time_")?.strip_suffix("_idle_share"))
        .map(String::from)
        .collect()
}

pub struct Time<'a> {
    r: &'a Results,
    /// Per bar: its structure's look, its label and its shares, in [`ACTIVITIES`] order.
    bars: Vec<(&'a Look, String, Vec<f64>)>,
    replications: u64,
}

impl<'a> Time<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Time<'a>, ChartError> {
        let mut bars = vec![];
        for (v, look) in looks.iter().enumerate() {
            for role in roles(r, v) {
                let mut shares = vec![];
                for (a, _) in ACTIVITIES {
                    let name = column(&role, a);
                    let s = r.total_named(p, v, &name).ok_or_else(|| {
                        ChartError::Unavailable(format!("no total {name} in the results"))
                    })?;
                    shares.push(if s.mean.is_finite() { s.mean } else { 0.0 });
                }
                // A role nobody holds over the horizon has no hours to show.
                if shares.iter().sum::<f64>() > 0.0 {
                    let role = r.words.label("role", &role);
                    bars.push((look, format!("{} · {role}", look.name), shares));
                }
            }
        }
        if bars.is_empty() {
            return Err(ChartError::Unavailable(
                "the time chart needs paid hours; these results have none".into(),
            ));
        }
        Ok(Time {
            r,
            bars,
            replications: r.manifest.points[p].replications,
        })
    }
}

impl Figure for Time<'_> {
    fn title(&self) -> String {
        self.r.words.f(
            "chart.time.title",
            &[("scenario", &self.r.exp.scenario_name)],
        )
    }

    fn subtitle(&self) -> String {
        let w = self.r.words;
        w.n(
            "chart.time.subtitle",
            self.replications,
            &[(
                "span",
                &crate::report::experiment::totals_span(&self.r.exp, w),
            )],
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
        let items: Vec<(String, RGBColor)> = ACTIVITIES
            .iter()
            .map(|(a, c)| (w.t(&format!("activity.{a}")).to_string(), *c))
            .collect();
        draw::swatch_row(&legend, &items, pen)?;
        let n = self.bars.len();
        let names: Vec<&str> = self.bars.iter().map(|b| b.1.as_str()).collect();
        let mut chart = ChartBuilder::on(&body)
            .margin(pen.px(10.0))
            .x_label_area_size(pen.pxu(44.0))
            .y_label_area_size(pen.pxu(210.0))
            .build_cartesian_2d(0.0..1.0, -0.5..n as f64 - 0.5)?;
        let name_of = |y: &f64| {
            let i = y.round();
            if (y - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            names
                .get(n - 1 - i as usize)
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(draw::GRID.stroke_width(1))
            .axis_style(draw::MUTED.stroke_width(1))
            .label_style(pen.text(13.0))
            .axis_desc_style(pen.text(14.0))
            .x_desc(w.t("chart.time.axis"))
            .x_labels(6)
            .y_labels(n.max(1))
            .x_label_formatter(&|x| draw::percent(*x, w))
            .y_label_formatter(&name_of)
            .draw()?;
        for (i, (look, _, shares)) in self.bars.iter().enumerate() {
            let y = draw::row_y(i, n);
            let mut left = 0.0;
            for (&s, (_, colour)) in shares.iter().zip(ACTIVITIES) {
                let right = (left + s.max(0.0)).min(1.0);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(left, y - 0.34), (right, y + 0.34)],
                    colour.filled(),
                )))?;
                left = right;
            }
            // The structure's colour marks its bars at the left edge.
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.34), (0.006, y + 0.34)],
                look.colour.filled(),
            )))?;
        }
        Ok(())
    }
}
