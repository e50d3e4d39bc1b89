//! The `nianbao` binary: headless subcommands, or the review window.

use clap::Parser;
use nianbao::cli::{self, Cli};

fn main() {
    let args = Cli::parse();
    match args.command {
        Some(command) => std::process::exit(cli::run(command)),
        None => std::process::exit(nianbao::app::run(args.files)),
    }
}
