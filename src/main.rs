//! The `nianbao` binary: headless subcommands, or the review window.

use clap::Parser;
use nianbao::cli::{self, Cli};

fn main() {
    // Failed saves, opens and exports are logged to stderr, so they outlive the status bar;
    // `RUST_LOG` chooses more (`RUST_LOG=info`) or less.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    // Windows' cmd passes `*.docx` as it is; wild expands it as a Unix shell would (elsewhere
    // it returns the arguments unchanged).
    let args = Cli::parse_from(wild::args_os());
    match args.command {
        Some(command) => std::process::exit(cli::run(command)),
        None => std::process::exit(nianbao::app::run(args.files)),
    }
}
