//! `partnerstack`: every operation of the PartnerStack APIs as a subcommand.
//!
//! ```text
//! partnerstack partner rewards list --payment-status available --all --format ndjson
//! partnerstack vendor customers get cus_123
//! partnerstack vendor customers create --data @customer.json
//! ```
//!
//! The subcommands are generated from the spec (`cli/generated/`, written by
//! partnerstack-codegen); this file and the modules beside it are the hand-written core:
//! settings, credentials, output formats and exit statuses.

#![forbid(unsafe_code)]

mod args;
mod credentials;
mod exit;
mod output;

#[rustfmt::skip]
#[path = "../generated/mod.rs"]
mod generated;

use std::process::ExitCode;

use clap::{Arg, Command};

use crate::exit::Failure;
use crate::output::{Format, Printer};

/// The whole command line.
fn command() -> Command {
    let variables: Vec<String> = generated::CREDENTIALS
        .iter()
        .map(|(api, vars)| format!("  {api:<12}{}", vars.join(" + ")))
        .collect();
    let after_help = format!(
        "Credentials come from the environment only, and are never printed:\n{}\n\
         PARTNERSTACK_BASE_URL (or --base-url) sends requests to another host, such as a local \
         fake server.\n\n{}",
        variables.join("\n"),
        exit::HELP
    );
    Command::new("partnerstack")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every operation of the PartnerStack APIs, from the command line")
        .after_help(after_help)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("format")
                .long("format")
                .short('f')
                .global(true)
                .value_name("FORMAT")
                .value_parser(Format::NAMES)
                .default_value("json")
                .help("Output: json (one document), ndjson (one item per line), csv, table"),
        )
        .arg(
            Arg::new("base_url")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .help(
                    "Send requests to this host instead of the API's own \
                     [env: PARTNERSTACK_BASE_URL]",
                ),
        )
        .subcommands(generated::commands())
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with status 0; errors to stderr with status 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE));
        }
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                let names = generated::CREDENTIALS
                    .iter()
                    .flat_map(|(_, vars)| vars.iter());
                let message = credentials::redact(&failure.message, names.copied());
                eprintln!("error: {}", printable(&message));
            }
            ExitCode::from(failure.code)
        }
    }
}

/// `text` with control characters other than newlines escaped (`\u{1b}`): an error message
/// may quote the server, and must not move the cursor or retitle the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn run(matches: &clap::ArgMatches) -> Result<(), Failure> {
    let format = matches
        .get_one::<String>("format")
        .and_then(|f| Format::from_name(f))
        .unwrap_or(Format::Json);
    let base_url = matches.get_one::<String>("base_url").cloned().or_else(|| {
        std::env::var("PARTNERSTACK_BASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
    });
    let settings = args::Settings { base_url };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::UNEXPECTED, format!("cannot start the runtime: {e}")))?;
    let mut out = Printer::stdout(format);
    runtime.block_on(generated::run(matches, &settings, &mut out))?;
    out.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_messages_cannot_drive_the_terminal() {
        assert_eq!(
            super::printable("a\u{1b}]0;x\u{7}b\nc\r"),
            "a\\u{1b}]0;x\\u{7}b\nc\\r"
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        super::command().debug_assert();
    }
}
