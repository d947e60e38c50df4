//! The `doormat` command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    println!("doormat {}", env!("CARGO_PKG_VERSION"));
    ExitCode::SUCCESS
}
