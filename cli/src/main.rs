//! `partnerstack`: every operation of the PartnerStack APIs as a subcommand.
//!
//! ```text
//! partnerstack partner rewards list --payment-status available --all --format ndjson
//! partnerstack vendor customers get cus_123
//! partnerstack vendor customers create --email jane@example.com --partner-key gstest
//! ```
//!
//! The subcommands are generated from the spec (`cli/generated/`, written by
//! partnerstack-codegen); this file and the modules beside it are the hand-written core:
//! settings, credentials, bodies from flags, output formats, tables, what is hidden and
//! escaped on the way out, and exit statuses.

#![forbid(unsafe_code)]

mod args;
mod body;
mod credentials;
mod exit;
mod output;
mod redact;
mod table;
mod term;
mod view;

#[rustfmt::skip]
#[path = "../generated/mod.rs"]
mod generated;

use std::io::Write;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command};

use crate::exit::Failure;
use crate::output::{Format, Options, Printer};

/// The shells `partnerstack completions` writes a script for.
const SHELLS: [&str; 4] = ["bash", "zsh", "fish", "powershell"];

/// The whole command line.
fn command() -> Command {
    let variables: Vec<String> = generated::CREDENTIALS
        .iter()
        .map(|(api, vars)| format!("  {api:<12}{}", vars.join(" + ")))
        .collect();
    let after_help = format!(
        "Credentials come from the environment only, and are never printed:\n{}\n\
         {} (or --base-url) sends requests to another host, such as a local fake server.\n\n\
         Output: a table on a terminal, json when stdout is a pipe or a file (so scripts get \
         json unless they ask); --format picks one. Colour only on a terminal, never with \
         NO_COLOR set.\n\n{}",
        variables.join("\n"),
        generated::BASE_URL_ENV_VAR,
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
                .help_heading("Global options")
                .long("format")
                .short('f')
                .global(true)
                .value_name("FORMAT")
                .value_parser(Format::NAMES)
                .help(
                    "Output: table (the default on a terminal), json (the default otherwise), \
                     ndjson (one item per line), csv",
                ),
        )
        .arg(
            Arg::new("columns")
                .help_heading("Global options")
                .long("columns")
                .global(true)
                .value_name("A,B,C")
                .help(
                    "The columns of -f table and -f csv: fields of the items, nested ones as \
                     customer.email (without --format, a table)",
                ),
        )
        .arg(
            Arg::new("csv_formulas")
                .help_heading("Global options")
                .long("csv-formulas")
                .global(true)
                .action(ArgAction::SetTrue)
                .help(
                    "Write csv cells that start like a spreadsheet formula (=, +, -, @) as they \
                     are, without the leading ' that keeps a spreadsheet from running them",
                ),
        )
        .arg(
            Arg::new("base_url")
                .help_heading("Global options")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .help(format!(
                    "Send requests to this host instead of the API's own [env: {}]",
                    generated::BASE_URL_ENV_VAR
                )),
        )
        .subcommands(generated::commands())
        .subcommand(
            Command::new("completions")
                .about("Print the completion script of a shell: bash, zsh, fish or powershell")
                .long_about(
                    "Print the completion script of a shell on stdout.\n\n\
                     bash:        partnerstack completions bash > ~/.local/share/bash-completion/completions/partnerstack\n\
                     zsh:         partnerstack completions zsh > \"${fpath[1]}/_partnerstack\"\n\
                     fish:        partnerstack completions fish > ~/.config/fish/completions/partnerstack.fish\n\
                     powershell:  partnerstack completions powershell >> $PROFILE",
                )
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_name("SHELL")
                        .value_parser(SHELLS),
                ),
        )
}

/// Every secret the process knows of before parsing its arguments: the credential variables
/// of every API, the HTTP Basic pairs, and what `--base-url` (or `PARTNERSTACK_BASE_URL`)
/// must not show (user info, query, fragment).
fn redactor() -> redact::Redactor {
    let names = generated::CREDENTIALS
        .iter()
        .flat_map(|(_, vars)| vars.iter().copied());
    let mut secrets = credentials::values(names);
    let pairs: Vec<(String, String)> = generated::CREDENTIALS
        .iter()
        .filter_map(|(_, vars)| match vars {
            [user, password] => Some((std::env::var(user).ok()?, std::env::var(password).ok()?)),
            _ => None,
        })
        .collect();
    let mut urls: Vec<String> = std::env::var(generated::BASE_URL_ENV_VAR)
        .into_iter()
        .collect();
    let mut argv = std::env::args_os().skip(1);
    while let Some(arg) = argv.next() {
        let arg = arg.to_string_lossy().into_owned();
        if arg == "--base-url" {
            urls.extend(argv.next().map(|a| a.to_string_lossy().into_owned()));
        } else if let Some(url) = arg.strip_prefix("--base-url=") {
            urls.push(url.to_string());
        }
    }
    for url in urls {
        secrets.extend(args::hidden_parts(&url));
    }
    redact::Redactor::new(&secrets, &pairs)
}

fn main() -> ExitCode {
    // A bug must not print what it was handling: the place only, on whatever stderr is left.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        term::stderr(&format!(
            "error: internal error{at}; please report it (nothing was sent after it)\n"
        ));
    }));
    redact::install(redactor());
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with status 0; errors to stderr with status 2.
            let (stream, colour) = if e.use_stderr() {
                (term::Stream::Stderr, term::colour(term::Stream::Stderr))
            } else {
                (term::Stream::Stdout, term::colour(term::Stream::Stdout))
            };
            let text = if colour {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            match stream {
                term::Stream::Stderr => term::stderr(&text),
                term::Stream::Stdout => stdout(&text),
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE));
        }
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                term::error(&failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

/// Writes `text` to stdout with secrets hidden; a stdout that went away is ignored.
fn stdout(text: &str) {
    let text = redact::global().apply_str(text);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The output options from the global flags: the format defaults to a table on a terminal,
/// JSON elsewhere (and to a table when `--columns` is given).
fn options(matches: &clap::ArgMatches) -> Result<Options, Failure> {
    let columns = match matches.get_one::<String>("columns") {
        Some(text) => {
            let columns: Vec<String> = text.split(',').map(|c| c.trim().to_string()).collect();
            if columns.iter().any(String::is_empty) {
                return Err(Failure::usage(
                    "--columns takes field names separated by commas, such as key,amount,customer.email",
                ));
            }
            Some(columns)
        }
        None => None,
    };
    let format = match matches.get_one::<String>("format") {
        Some(name) => Format::from_name(name).unwrap_or(Format::Json),
        None if columns.is_some() || term::stdout_is_terminal() => Format::Table,
        None => Format::Json,
    };
    if columns.is_some() && matches!(format, Format::Json | Format::Ndjson) {
        return Err(Failure::usage(
            "--columns picks the columns of -f table and -f csv; json and ndjson print whole items",
        ));
    }
    Ok(Options {
        format,
        columns,
        csv_formulas: matches.get_flag("csv_formulas"),
        colour: term::colour(term::Stream::Stdout),
        width: term::width(),
    })
}

fn run(matches: &clap::ArgMatches) -> Result<(), Failure> {
    if let Some(("completions", m)) = matches.subcommand() {
        return completions(m);
    }
    let options = options(matches)?;
    let base_url = match matches.get_one::<String>("base_url") {
        Some(url) => Some(url.clone()),
        None => std::env::var(generated::BASE_URL_ENV_VAR)
            .ok()
            .filter(|u| !u.trim().is_empty()),
    };
    let base_url = base_url.map(|u| args::base_url(&u)).transpose()?;
    let settings = args::Settings { base_url };
    // Two workers: a walk fetches (and scans) the next page on one while this thread decodes
    // the current one, and a thread of the printer's writes the page before.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::UNEXPECTED, format!("cannot start the runtime: {e}")))?;
    let mut out = Printer::stdout(options);
    runtime.block_on(generated::run(matches, &settings, &mut out))?;
    out.finish()
}

/// `partnerstack completions SHELL`: the script, written whole (or not at all when stdout
/// went away).
fn completions(matches: &clap::ArgMatches) -> Result<(), Failure> {
    use clap_complete::Shell;
    let shell = match matches.get_one::<String>("shell").map(String::as_str) {
        Some("bash") => Shell::Bash,
        Some("zsh") => Shell::Zsh,
        Some("fish") => Shell::Fish,
        Some("powershell") => Shell::PowerShell,
        _ => {
            return Err(Failure::usage(
                "give a shell: bash, zsh, fish or powershell",
            ));
        }
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "partnerstack", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(Failure::output)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        super::command().debug_assert();
    }
}
