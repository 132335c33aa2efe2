//! Turning finished results into bytes: CSV for spreadsheets, a summary for the
//! terminal, charts and the HTML report. Exporters never run a simulation and never open
//! files, except [`results::Results::load`], which reads a results folder back.

pub mod calibration;
pub mod chart;
pub mod csv;
pub mod experiment;
pub mod folder;
pub mod format;
pub mod html;
pub mod lang;
pub mod results;
pub mod staffing;
pub mod table;
pub mod teams;
pub mod xlsx;
