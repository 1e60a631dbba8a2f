//! Partner API: export every reward created in a period as JSON lines on stdout.
//!
//! ```sh
//! PARTNERSTACK_API_KEY=… cargo run --example export_rewards -- 2024-01-01 2024-02-01 > rewards.ndjson
//! ```
//!
//! The period is `[from, to)` in UTC. Items stream page after page, so memory holds one page
//! whatever the number of rewards; each line is the reward's JSON as PartnerStack sent it
//! (unknown fields included), ready for `jq` or a warehouse loader.

use std::io::Write;

use partnerstack::partner::Client;
use partnerstack::prelude::*;

/// Midnight UTC of a `YYYY-MM-DD` date (days from civil, H. Hinnant's algorithm).
fn parse_date(text: &str) -> Option<Timestamp> {
    let mut parts = text.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    if !(0..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Timestamp::from_millis(days * 86_400_000))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        return Err("usage: export_rewards FROM TO (dates as YYYY-MM-DD, UTC)".into());
    };
    let from = parse_date(from).ok_or("FROM is not a YYYY-MM-DD date")?;
    let to = parse_date(to).ok_or("TO is not a YYYY-MM-DD date")?;
    eprintln!("rewards created from {from} to {to}");

    // PARTNERSTACK_API_KEY, and PARTNERSTACK_BASE_URL when set (a test server, say).
    let client = Client::from_env()?;
    let rewards = client
        .rewards()
        .list()
        .min_created(from)
        .max_created(Timestamp::from_millis(to.as_millis().saturating_sub(1)))
        .limit(250)
        .items();
    futures::pin_mut!(rewards);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut count = 0_u64;
    while let Some(reward) = rewards.try_next().await? {
        serde_json::to_writer(&mut out, &reward)?;
        out.write_all(b"\n")?;
        count += 1;
    }
    out.flush()?;
    eprintln!("{count} rewards");
    Ok(())
}
