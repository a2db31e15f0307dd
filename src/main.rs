//! The `vpcwarden` binary: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;
use vpcwarden::app;
use vpcwarden::cli::Cli;

// A scan of 100,000 functions makes and frees millions of small strings (findings, evidence,
// policies): mimalloc does that about twice as fast as glibc's allocator and keeps less memory
// (measured with scripts/bench-scale; figures in the README's Development section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    vpcwarden::init_logging(
        cli.verbose,
        cli.log_format == vpcwarden::cli::LogFormat::Json,
    );
    match app::run(cli) {
        Ok(exit) => ExitCode::from(exit as u8),
        // The reader closed stdout (`| head`): it has what it wanted.
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("vpcwarden: error: {err:#}");
            ExitCode::from(err.exit() as u8)
        }
    }
}
