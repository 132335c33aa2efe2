//! Turning finished results into bytes: CSV for spreadsheets, a summary for the terminal.
//! Exporters never run a simulation and never open files; the caller gives a writer.

pub mod csv;
pub mod experiment;
pub mod table;
