//! A staffing plan against the season: planned headcount per month as bars, the Erlang A
//! estimate, the best constant headcount and the scenario's own staffing as lines, and
//! the inbound leads on a second axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Marker, Pen};
use super::{encode, ChartError, Figure, Format};
use crate::experiment::staffing::{Plan, StaffingResult};
use crate::report::lang::Words;

/// Draws the plan of `r` as SVG or PNG.
pub fn render(
    r: &StaffingResult,
    format: Format,
    w: &'static Words,
) -> Result<Vec<u8>, ChartError> {
    encode(&Staffing { r, w }, format)
}

struct Staffing<'a> {
    r: &'a StaffingResult,
    w: &'static Words,
}

const BARS: [RGBColor; 3] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
];

impl Figure for Staffing<'_> {
    fn title(&self) -> String {
        let w = self.w;
        let roles: Vec<&str> = self.r.roles.iter().map(|x| w.label("role", x)).collect();
        w.f(
            "chart.staffing.title",
            &[
                ("roles", &roles.join(w.t("chart.staffing.and"))),
                ("structure", &w.label("structure", &self.r.structure)),
                ("scenario", &self.r.scenario_name),
            ],
        )
    }

    fn subtitle(&self) -> String {
        let w = self.w;
        let interim = if self.r.complete {
            ""
        } else {
            w.t("chart.staffing.interim")
        };
        w.n(
            "chart.staffing.subtitle",
            self.r.replications,
            &[
                ("interim", &interim),
                ("objective", &crate::report::staffing::objective(self.r, w)),
            ],
        )
    }

    fn words(&self) -> &'static Words {
        self.w
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let r = self.r;
        let months = &r.months;
        let (xr, xl) = draw::month_axis(months);
        let alt_max = r
            .alternatives
            .iter()
            .flat_map(|a| a.plan.iter().flatten())
            .chain(r.plan.iter().flatten())
            .chain(r.erlang.iter().flatten())
            .copied()
            .max()
            .unwrap_or(1);
        let ymax = f64::from(alt_max.max(1)) * 1.3;
        let dmax = r.rows.iter().map(|x| x.inbound).fold(1.0, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(pen.pxu(44.0))
            .y_label_area_size(pen.pxu(70.0))
            .right_y_label_area_size(pen.pxu(78.0))
            .build_cartesian_2d(xr.clone(), 0.0..ymax)?
            .set_secondary_coord(xr, 0.0..dmax);
        let w = self.w;
        let fmt = draw::month_formatter(months, 13, w);
        // People come whole: label whole numbers only.
        let whole = |y: &f64| {
            if (y - y.round()).abs() < 1e-9 {
                format!("{y:.0}")
            } else {
                String::new()
            }
        };
        draw::mesh(
            &mut chart,
            pen,
            w.t("chart.month"),
            w.t("chart.staffing.axis"),
            &fmt,
            &whole,
            xl,
        )?;
        draw::demand_axis(&mut chart, pen)?;
        let grey = RGBColor(215, 215, 215);
        let demand: Vec<(f64, f64)> = r
            .rows
            .iter()
            .enumerate()
            .map(|(i, x)| (i as f64, x.inbound))
            .collect();
        chart.draw_secondary_series(AreaSeries::new(demand, 0.0, grey.mix(0.6)))?;
        let roles = r.plan.len().max(1);
        let width = 0.7 / roles as f64;
        for (k, (name, counts)) in r.roles.iter().zip(&r.plan).enumerate() {
            let c = BARS[k % BARS.len()];
            let scale = pen.scale;
            chart
                .draw_series(counts.iter().enumerate().map(|(m, &n)| {
                    let x0 = m as f64 - 0.35 + k as f64 * width;
                    let fill = if r.fixed[m] { c.mix(0.35) } else { c.mix(0.85) };
                    Rectangle::new(
                        [(x0, 0.0), (x0 + width * 0.92, f64::from(n))],
                        fill.filled(),
                    )
                }))?
                .label(w.f("chart.staffing.plan", &[("role", &w.label("role", name))]))
                .legend(move |(x, y)| {
                    let s = Pen::new(scale, w);
                    Rectangle::new(
                        [(x, y - s.px(6.0)), (x + s.px(22.0), y + s.px(6.0))],
                        c.filled(),
                    )
                });
        }
        let lines: [(&str, Option<&Plan>, RGBColor, Marker); 3] = [
            (
                "chart.staffing.erlang",
                Some(&r.erlang),
                draw::INK,
                Marker::Cross,
            ),
            (
                "chart.staffing.constant",
                r.alternatives.get(1).map(|a| &a.plan),
                RGBColor(213, 94, 0),
                Marker::Diamond,
            ),
            (
                "chart.staffing.own",
                r.alternatives.get(2).map(|a| &a.plan),
                RGBColor(0, 158, 115),
                Marker::Triangle,
            ),
        ];
        for (name, plan, colour, marker) in lines {
            let Some(plan) = plan else { continue };
            for (k, counts) in plan.iter().enumerate() {
                let label = if r.roles.len() > 1 {
                    format!("{}: {}", w.t(name), w.label("role", &r.roles[k]))
                } else {
                    w.t(name).to_string()
                };
                let pts: Vec<(f64, f64)> = counts
                    .iter()
                    .enumerate()
                    .map(|(m, &n)| (m as f64, f64::from(n)))
                    .collect();
                let look = Look {
                    name: label,
                    colour,
                    marker,
                };
                draw::mean_line(&mut chart, &pts, &look, pen)?;
            }
        }
        draw::series_legend(&mut chart, SeriesLabelPosition::UpperLeft, pen)
    }
}
