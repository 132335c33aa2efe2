//! Charts of finished results, as SVG or PNG bytes (plotters).
//!
//! Every chart is drawn from [`Results`] alone, never from a simulation. Text in PNGs
//! is rasterised from DejaVu Sans, shipped in the crate, so no system font or font
//! library is needed. A structure keeps its colour and marker in every chart; colours
//! are the Okabe-Ito set (distinguishable with the common colour-vision deficiencies)
//! and every line also carries a marker, so the charts read when printed in grey.

mod diff;
mod draw;
mod lost;
mod revenue;
mod service;
pub mod staffing;
mod sweep;
pub(crate) mod time;
mod totals;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::results::Results;

pub use draw::{looks, month_label, Look, Marker, Pen};

/// Size of an SVG chart, in pixels.
pub const SIZE: (u32, u32) = (1200, 720);
/// PNGs are drawn this many times larger than [`SIZE`], for sharp slides and print.
pub const PNG_SCALE: f64 = 1.5;

/// The size of a PNG chart, in pixels.
pub fn png_size() -> (u32, u32) {
    (
        (f64::from(SIZE.0) * PNG_SCALE) as u32,
        (f64::from(SIZE.1) * PNG_SCALE) as u32,
    )
}

/// The kinds of chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Revenue by month per structure: mean and p5-p95 band, inbound demand behind.
    Revenue,
    /// Lost leads by month, stacked by cause, one panel per structure.
    Lost,
    /// Totals per structure with 95% CIs: gross profit, revenue, payroll, lost leads.
    Totals,
    /// Paired differences against the baseline with 95% CIs (a forest plot).
    Diff,
    /// A metric against the swept parameter, a line and CI band per structure.
    Sweep,
    /// Service level and speed to lead by month.
    Service,
    /// Where each role's paid hours go, per structure and role.
    Time,
}

impl Kind {
    /// Every kind, in the order the report shows them.
    pub const ALL: [Kind; 7] = [
        Kind::Revenue,
        Kind::Lost,
        Kind::Totals,
        Kind::Diff,
        Kind::Sweep,
        Kind::Service,
        Kind::Time,
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Revenue => "revenue",
            Kind::Lost => "lost",
            Kind::Totals => "totals",
            Kind::Diff => "diff",
            Kind::Sweep => "sweep",
            Kind::Service => "service",
            Kind::Time => "time",
        }
    }

    /// The kind called `s` (`revenue`, `lost`...).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Why this chart cannot be drawn from `r`, if it cannot.
    pub fn unavailable(self, r: &Results) -> Option<String> {
        match self {
            Kind::Sweep if r.exp.axes.is_empty() => {
                Some("the sweep chart needs a sweep; these results compare one point".into())
            }
            Kind::Diff if r.exp.variants.len() < 2 => Some(format!(
                "the difference chart needs two structures; these results have only {}",
                r.exp.variants[0].name
            )),
            _ => None,
        }
    }
}

/// Image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics, for pages and decks.
    Svg,
    /// A 1800x1080 bitmap.
    Png,
}

impl Format {
    /// The file name's ending.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// The format called `s` (`svg` or `png`).
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }
}

/// What to draw beyond the kind.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The sweep point the month-by-month charts show (0-based).
    pub point: usize,
    /// The metric of the sweep chart (default: the run's precision metric, else gross
    /// profit).
    pub metric: Option<String>,
}

/// Why a chart was not drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The chart does not apply to these results, or an option names what is not there.
    #[error("{0}")]
    Unavailable(String),
    /// Drawing or encoding failed; a bug, since the results were already checked.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
}

impl ChartError {
    /// The results lack the `what` (`monthly`, `total`) statistics of `metric`.
    fn missing(what: &str, metric: crate::sim::Metric) -> ChartError {
        ChartError::Unavailable(format!("no {what} {} in the results", metric.name()))
    }
}

/// A chart ready to draw at any size.
trait Figure {
    /// What the chart shows, in one line.
    fn title(&self) -> String;
    /// How to read it: what the band or whisker is, over how many replications.
    fn subtitle(&self) -> String;
    /// The language of its words.
    fn words(&self) -> &'static super::lang::Words;
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> draw::Drawn
    where
        DB::ErrorType: 'static;
}

/// Draws one chart.
pub fn render(
    kind: Kind,
    r: &Results,
    format: Format,
    opts: &Options,
) -> Result<Vec<u8>, ChartError> {
    if let Some(why) = kind.unavailable(r) {
        return Err(ChartError::Unavailable(why));
    }
    if opts.point >= r.points.len() {
        return Err(ChartError::Unavailable(format!(
            "--point {}: the results have {} points",
            opts.point + 1,
            r.points.len()
        )));
    }
    let looks = draw::looks(r);
    match kind {
        Kind::Revenue => encode(&revenue::Revenue::new(r, opts.point, &looks)?, format),
        Kind::Lost => encode(&lost::Lost::new(r, opts.point, &looks)?, format),
        Kind::Totals => encode(&totals::Totals::new(r, opts.point, &looks)?, format),
        Kind::Diff => encode(&diff::Forest::new(r, opts.point, &looks)?, format),
        Kind::Sweep => encode(
            &sweep::Sweep::new(r, opts.metric.as_deref(), &looks)?,
            format,
        ),
        Kind::Service => encode(&service::Service::new(r, opts.point, &looks)?, format),
        Kind::Time => encode(&time::Time::new(r, opts.point, &looks)?, format),
    }
}

fn encode(fig: &impl Figure, format: Format) -> Result<Vec<u8>, ChartError> {
    draw::register_fonts();
    let failed = |e: Box<dyn std::error::Error>| ChartError::Draw(e.to_string());
    match format {
        Format::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
                frame(&root, fig, &Pen::new(1.0, fig.words())).map_err(failed)?;
                root.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            Ok(s.into_bytes())
        }
        Format::Png => {
            let (w, h) = png_size();
            let mut buf = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                frame(&root, fig, &Pen::new(PNG_SCALE, fig.words())).map_err(failed)?;
                root.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            draw::png(&buf, w, h).map_err(|e| ChartError::Draw(e.to_string()))
        }
    }
}

/// White page, title and subtitle, then the figure below them.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &impl Figure,
    pen: &Pen,
) -> draw::Drawn
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (head, body) = root.split_vertically(pen.px(66.0));
    head.draw_text(&fig.title(), &pen.title(), (pen.px(18.0), pen.px(12.0)))?;
    // A subtitle longer than the page (words run longer in some languages) shrinks to fit.
    let subtitle = fig.subtitle();
    let room = f64::from(head.dim_in_pixel().0) - f64::from(pen.px(36.0));
    let natural = f64::from(head.estimate_text_size(&subtitle, &pen.text(14.0))?.0);
    let size = if natural > room {
        (14.0 * room / natural).max(9.0)
    } else {
        14.0
    };
    head.draw_text(
        &subtitle,
        &pen.text(size).color(&draw::MUTED),
        (pen.px(18.0), pen.px(42.0)),
    )?;
    fig.draw(
        &body.margin(0, pen.px(10.0), pen.px(10.0), pen.px(16.0)),
        pen,
    )
}
