//! The command line `partnerstack` (package `partnerstack-cli`), emitted from the IR.
//!
//! Every operation of every API becomes `partnerstack <api> <resource> <operation>`: path
//! parameters are positional arguments, query parameters `--flags` (typed: numbers, booleans,
//! timestamps, enums listing their values), each field of an object body a flag of its own
//! (with `--data` for the whole body), and a paginated list takes its API's pagination flags
//! (`--limit`, `--starting-after`, `--ending-before`) and `--all`. Every flag's name comes from
//! the IR (`Param::flag`, `Body::flags`, `PageParam::flag`, decided in validation). The emitted code builds its
//! `clap::Command`s with clap's builder API and calls the generated client; everything else
//! (argument parsers, bodies from flags, credentials, output formats and tables, exit codes)
//! is the CLI's hand-written core in `cli/src/`, which the emitted code reaches as
//! `crate::args`, `crate::body`, `crate::credentials`, `crate::output`, `crate::view` and
//! `crate::exit`.
//!
//! Layout of `cli/generated/`:
//!
//! ```text
//! mod.rs                 every API's command, and the dispatch to it
//! <api>/mod.rs           the API's command, its client from the environment, the dispatch
//! <api>/views.rs         how each model an answer shows looks in a table (summary, shapes)
//! <api>/<resource>.rs    one resource's subcommands, their body flag tables, how each runs
//! ```
//!
//! Everything here reads only the IR ([`crate::ir`]).

mod body;
mod operation;
mod param;
mod view;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{ident, inner_doc, summary};
use crate::ir::{Api, Auth, Resource};
use crate::output::OutputFile;
use crate::{Error, format};

/// Every file of `cli/generated/` for these APIs.
pub fn files(apis: &[Api]) -> Result<Vec<OutputFile>, Error> {
    let mut apis: Vec<&Api> = apis.iter().collect();
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    let mut out = vec![("mod.rs".to_string(), "spec/".to_string(), root(&apis))];
    for api in &apis {
        out.push((
            format!("{}/mod.rs", api.module),
            api.source.clone(),
            api_root(api),
        ));
        if view::has_views(api) {
            out.push((
                format!("{}/{}.rs", api.module, api.cli.views),
                api.source.clone(),
                view::file(api),
            ));
        }
        for res in served(api) {
            out.push((
                format!("{}/{}.rs", api.module, res.module),
                api.source.clone(),
                resource(api, res),
            ));
        }
    }
    out.into_iter()
        .map(|(path, source, tokens)| {
            let body = format::rust_file(tokens)
                .map_err(|e| Error::Internal(format!("cli {path}: {e}")))?;
            Ok(OutputFile {
                contents: format!("{}{body}", format::header(&source)),
                path,
            })
        })
        .collect()
}

fn served(api: &Api) -> impl Iterator<Item = &Resource> {
    api.resources.iter().filter(|r| !r.operations.is_empty())
}

fn root(apis: &[&Api]) -> TokenStream {
    let docs = inner_doc(
        "The command line's subcommands, one per API, emitted from the spec by \
         partnerstack-codegen.",
    );
    let modules: Vec<_> = apis.iter().map(|a| ident(&a.module)).collect();
    let names: Vec<_> = apis.iter().map(|a| a.module.as_str()).collect();
    // One `--base-url` serves every API, so one variable: the APIs share it.
    let base_url_var = apis.first().map_or(crate::names::BASE_URL_ENV_VAR, |a| {
        a.base_url_env_var.as_str()
    });
    let variables = apis.iter().map(|api| {
        let name = api.module.as_str();
        let vars = api.credentials.iter().map(|c| c.env_var.as_str());
        quote!((#name, &[#(#vars),*]))
    });
    quote! {
        #docs

        #(#[rustfmt::skip] pub mod #modules;)*

        /// Every API's subcommand.
        pub fn commands() -> Vec<clap::Command> {
            vec![#(#modules::command()),*]
        }

        /// Each API's name and the environment variables its credentials come from.
        pub const CREDENTIALS: &[(&str, &[&str])] = &[#(#variables),*];

        /// The environment variable that sends requests to another host, as `--base-url` does.
        pub const BASE_URL_ENV_VAR: &str = #base_url_var;

        /// Runs the API subcommand `matches` holds.
        ///
        /// # Errors
        ///
        /// What the operation fails with, as an exit status and message.
        pub async fn run(
            matches: &clap::ArgMatches,
            settings: &crate::args::Settings,
            out: &mut crate::output::Printer,
        ) -> Result<(), crate::exit::Failure> {
            match matches.subcommand() {
                #(Some((#names, matches)) => #modules::run(matches, settings, out).await,)*
                _ => Err(crate::exit::Failure::usage("no such API")),
            }
        }
    }
}

fn api_root(api: &Api) -> TokenStream {
    let module = ident(&api.module);
    let name = api.module.as_str();
    let vars: Vec<_> = api.credentials.iter().map(|c| c.env_var.clone()).collect();
    let locals: Vec<_> = api.credentials.iter().map(|c| ident(&c.name)).collect();
    let about = api.title.clone();
    let long_about = format!(
        "{}\n\nCredentials come from the environment: {}.",
        api.doc.trim(),
        vars.join(", ")
    );
    // HTTP Basic's user name (the first credential) cannot hold `:`: said with its variable.
    let user_check = match (&api.auth, locals.first(), vars.first()) {
        (Auth::Basic, Some(local), Some(var)) => {
            Some(quote!(crate::credentials::user_name(&#local, #var)?;))
        }
        _ => None,
    };
    let docs = inner_doc(&format!("`partnerstack {name} …`: {}", api.title));
    let resources: Vec<_> = served(api).collect();
    let modules: Vec<_> = resources.iter().map(|r| ident(&r.module)).collect();
    let views = view::has_views(api).then(|| {
        let module = ident(&api.cli.views);
        quote!(#[rustfmt::skip] mod #module;)
    });
    let names: Vec<_> = resources
        .iter()
        .map(|r| operation::kebab(&r.module))
        .collect();
    quote! {
        #docs

        #views
        #(#[rustfmt::skip] mod #modules;)*

        /// The API's command and its resources.
        pub fn command() -> clap::Command {
            clap::Command::new(#name)
                .about(#about)
                .long_about(#long_about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(.subcommand(#modules::command()))*
        }

        /// The client, with credentials from the environment and the command line's settings.
        fn client(
            settings: &crate::args::Settings,
        ) -> Result<partnerstack::#module::Client, crate::exit::Failure> {
            let [#(#locals),*] = crate::credentials::from_env([#(#vars),*])?;
            #user_check
            let builder = partnerstack::#module::Client::builder() #(.#locals(#locals.reveal()))*;
            let builder = match &settings.base_url {
                Some(url) => builder.base_url(url.as_str()),
                None => builder,
            };
            builder.build().map_err(crate::exit::Failure::from)
        }

        /// Runs the resource subcommand `matches` holds.
        ///
        /// # Errors
        ///
        /// Missing credentials, or what the operation fails with.
        pub async fn run(
            matches: &clap::ArgMatches,
            settings: &crate::args::Settings,
            out: &mut crate::output::Printer,
        ) -> Result<(), crate::exit::Failure> {
            let client = client(settings)?;
            match matches.subcommand() {
                #(Some((#names, matches)) => #modules::run(&client, matches, out).await,)*
                _ => Err(crate::exit::Failure::usage("no such resource")),
            }
        }
    }
}

fn resource(api: &Api, res: &Resource) -> TokenStream {
    let module = ident(&api.module);
    let name = operation::kebab(&res.module);
    let about = summary(&res.doc).to_string();
    let long_about = res.doc.trim().to_string();
    let long_about = (long_about != about).then(|| quote!(.long_about(#long_about)));
    let docs = inner_doc(&format!("`partnerstack {} {name} …`", api.module));
    let commands = res.operations.iter().map(|op| operation::command(api, op));
    let arms = res.operations.iter().map(|op| operation::arm(api, res, op));
    let readers = res.operations.iter().filter_map(|op| body::reader(api, op));
    let tables = res.operations.iter().filter_map(|op| body::table(api, op));
    quote! {
        #docs

        /// The resource's command and its operations.
        pub fn command() -> clap::Command {
            clap::Command::new(#name)
                .about(#about)
                #long_about
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(.subcommand(#commands))*
        }

        /// Runs the operation `matches` holds.
        ///
        /// # Errors
        ///
        /// Invalid arguments or data, and what the call fails with.
        pub async fn run(
            client: &partnerstack::#module::Client,
            matches: &clap::ArgMatches,
            out: &mut crate::output::Printer,
        ) -> Result<(), crate::exit::Failure> {
            match matches.subcommand() {
                #(#arms)*
                _ => Err(crate::exit::Failure::usage("no such operation")),
            }
        }

        #(#tables)*

        #(#readers)*
    }
}
