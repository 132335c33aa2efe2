//! `salesim calibrate`: a company's data in, a scenario and calibration.html out.

use std::io::{BufReader, Write};
use std::path::Path;

use salesim::calibrate::{self, CalibrateError, Inputs, Source, Template};
use salesim::report;
use salesim::report::folder;
use salesim::scenario::DEFAULT_TOML;

use super::BadInput;

fn open(path: &Path) -> anyhow::Result<Source> {
    let file = std::fs::File::open(path)
        .map_err(|e| BadInput(format!("{}: cannot open: {e}", path.display())))?;
    Ok(Source {
        name: path.display().to_string(),
        reader: Box::new(BufReader::with_capacity(1 << 16, file)),
    })
}

/// The files given on the command line.
pub struct Paths<'a> {
    pub leads: &'a Path,
    pub calls: Option<&'a Path>,
    pub orders: Option<&'a Path>,
    pub stages: Option<&'a Path>,
}

/// Runs the command.
pub fn run(
    paths: Paths,
    mapping: Option<&str>,
    template: Option<&Path>,
    out: &Path,
) -> anyhow::Result<()> {
    let mapping = match mapping {
        None => None,
        Some(spec) => {
            let text = if calibrate::Mapping::built_in(spec).is_some() {
                None
            } else {
                std::fs::read_to_string(spec).ok()
            };
            Some(
                calibrate::mapping_from(spec, text.as_deref())
                    .map_err(|e| BadInput(e.to_string()))?,
            )
        }
    };
    let template = match template {
        Some(p) => Template {
            name: p.display().to_string(),
            text: std::fs::read_to_string(p)
                .map_err(|e| BadInput(format!("{}: cannot read: {e}", p.display())))?,
        },
        None => Template {
            name: "the built-in default scenario".into(),
            text: DEFAULT_TOML.to_string(),
        },
    };
    let inputs = Inputs {
        leads: open(paths.leads)?,
        calls: paths.calls.map(open).transpose()?,
        orders: paths.orders.map(open).transpose()?,
        stages: paths.stages.map(open).transpose()?,
    };
    let c = calibrate::calibrate(inputs, mapping, &template).map_err(|e| match e {
        CalibrateError::Defect(_) => anyhow::Error::new(e),
        other => anyhow::Error::new(BadInput(other.to_string())),
    })?;
    let html = out.with_file_name("calibration.html");
    folder::write_atomic(out, |w| w.write_all(c.scenario.as_bytes()))?;
    folder::write_atomic(&html, |w| {
        w.write_all(report::calibration::html(&c).as_bytes())
    })?;
    let mut o = std::io::stdout().lock();
    write!(o, "{}", report::calibration::table(&c))?;
    writeln!(o, "\nwrote {}", out.display())?;
    writeln!(o, "wrote {}", html.display())?;
    Ok(())
}
