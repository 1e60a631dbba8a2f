//! `partnerstack-fake`: a fake PartnerStack (Partner, Vendor and conversion APIs) on
//! 127.0.0.1, for trying the client or testing against without a key or a network.
//!
//! Prints exactly `listening on http://127.0.0.1:PORT` once it accepts connections, then
//! serves until killed.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use clap::builder::TypedValueParser as _;
use partnerstack_fake::{Config, Fault, Faults, Server};

/// A fake PartnerStack on 127.0.0.1: the Partner, Vendor and conversion APIs on one port,
/// generated from the client's spec, with seeded data.
#[derive(Debug, Parser)]
#[command(
    name = "partnerstack-fake",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Port on 127.0.0.1; 0 picks a free one
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seeded objects in every list (at most 10000)
    #[arg(long, value_name = "N", default_value_t = partnerstack_fake::DEFAULT_ITEMS,
          value_parser = clap::value_parser!(u16).range(0..=10_000).map(usize::from))]
    items: usize,
    /// Seed of the data: the same seed gives the same objects
    #[arg(long, value_name = "S", default_value_t = partnerstack_fake::DEFAULT_SEED)]
    seed: u64,
    /// The Partner API key (Bearer)
    #[arg(long, value_name = "K", default_value = partnerstack_fake::DEFAULT_PARTNER_KEY)]
    partner_key: String,
    /// The partner the Partner API key acts as: the partner key (or part_… key) of a seeded
    /// partnership; by default the first, the test partner gstest. The Partner API shows that
    /// partner's objects only, the Vendor API every one
    #[arg(long, value_name = "KEY")]
    signed_in_partner: Option<String>,
    /// The Vendor API key pair (HTTP Basic), public key and secret key
    #[arg(
        long,
        value_name = "PUBLIC:SECRET",
        default_value = "pk_fake_public:sk_fake_secret"
    )]
    vendor_key: String,
    /// The conversion API tracking token (Bearer)
    #[arg(long, value_name = "T", default_value = partnerstack_fake::DEFAULT_TRACKING_TOKEN)]
    tracking_token: String,
    /// Milliseconds added before every answer
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// At most N requests in any one-second window; beyond it, 429 with Retry-After (0: no
    /// limit)
    #[arg(long, value_name = "N", default_value_t = 0)]
    rate_limit: u32,
    /// Every N-th request fails (0: never)
    #[arg(long, value_name = "N", default_value_t = 0)]
    fault_every: u32,
    /// How failing requests fail, in turn: 429, 500, 502, 503, drop
    #[arg(long, value_name = "KINDS", value_delimiter = ',', default_value = "429", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// The Retry-After (seconds) of a 429
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    retry_after: u32,
    /// Where the Partner API's postbacks go: an http:// URL on 127.0.0.1 or localhost
    #[arg(long, value_name = "URL")]
    postback_url: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Send one realistic delivery of an event to URL, print the receiver's status, and exit 0
    /// on a 2xx answer, 1 on another answer, 3 when none came
    Trigger {
        /// The event, such as customer.created (either spelling: customer_created)
        event: String,
        /// Where to send it: an http:// URL on 127.0.0.1 or localhost
        #[arg(long, value_name = "URL")]
        url: String,
        /// Whose event: vendor (a webhook) or partner (a postback); by default the vendor's
        /// when it has the event
        #[arg(long, value_name = "API",
              value_parser = clap::builder::PossibleValuesParser::new(partnerstack_fake::event_apis()))]
        api: Option<String>,
        /// Seed of the payload
        #[arg(long, value_name = "S", default_value_t = partnerstack_fake::DEFAULT_SEED)]
        seed: u64,
    },
}

async fn trigger(event: &str, api: Option<&str>, url: &str, seed: u64) -> ExitCode {
    match partnerstack_fake::trigger(event, api, url, seed).await {
        Ok(t) => {
            let kind = if t.postback { "postback" } else { "webhook" };
            println!("{kind} {} to {url}: {}", t.event, t.status);
            if (200..300).contains(&t.status) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(
            e @ (partnerstack_fake::TriggerError::UnknownEvent(..)
            | partnerstack_fake::TriggerError::BadUrl(_)),
        ) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(3)
        }
    }
}

fn parse_fault(text: &str) -> Result<Fault, String> {
    Fault::parse(text).ok_or_else(|| format!("`{text}` is not one of 429, 500, 502, 503, drop"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Trigger {
        event,
        url,
        api,
        seed,
    }) = &cli.command
    {
        return trigger(event, api.as_deref(), url, *seed).await;
    }
    let Some((public, secret)) = cli
        .vendor_key
        .split_once(':')
        .filter(|(p, s)| !p.is_empty() && !s.is_empty())
    else {
        eprintln!("--vendor-key must be PUBLIC:SECRET, both non-empty");
        return ExitCode::from(2);
    };
    let mut config = Config::default()
        .port(cli.port)
        .items(cli.items)
        .seed(cli.seed)
        .faults(Faults {
            latency: Duration::from_millis(cli.latency_ms),
            every: cli.fault_every,
            kinds: cli.faults.clone(),
            retry_after_secs: cli.retry_after,
            rate_limit: cli.rate_limit,
        });
    config.partner_key = cli.partner_key.clone();
    config.vendor_public_key = public.to_string();
    config.vendor_secret_key = secret.to_string();
    config.tracking_token = cli.tracking_token.clone();
    if let Some(url) = &cli.postback_url {
        config.postback_url = Some(url.clone());
    }
    config.signed_in_partner = cli.signed_in_partner.clone();
    let server = match Server::start(config).await {
        Ok(server) => server,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{}: {e}", cli.port);
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "listening on {}", server.url())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    drop(out);
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
