//! The `salesim` command line: parse, call the library, write files. Nothing else.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
