//! Vendor API: create a customer and a transaction for it, and act on each kind of error.
//!
//! ```sh
//! PARTNERSTACK_PUBLIC_KEY=pk_… PARTNERSTACK_SECRET_KEY=sk_… \
//!     cargo run --example create_customer -- jane@example.com gstest
//! ```

use partnerstack::Error;
use partnerstack::vendor::Client;
use partnerstack::vendor::models::{CustomerCreate, TransactionCreate, TransactionCreateCustomer};

/// What to tell the operator about a failed call.
fn explain(err: &Error) -> String {
    match err {
        // PartnerStack answered with an error status: its message says what it refused
        // (a partner key that does not exist, a duplicate customer key, …).
        Error::Api {
            status, message, ..
        } if status.is_client_error() => {
            format!("refused ({status}): {message}; fix the input, retrying will not help")
        }
        Error::Api {
            status, message, ..
        } => format!("PartnerStack failed ({status}): {message}; retries ran out, try later"),
        // Caught before anything was sent: missing credentials, a bad base URL, …
        Error::InvalidArgument { message, .. } => format!("not sent: {message}"),
        // The connection or the deadline: the customer may or may not exist now, so look it
        // up before creating it again (creating is not retried automatically for that reason).
        Error::Transport { .. } | Error::DeadlineExceeded { .. } => {
            format!("no answer ({err}); check whether it was created before retrying")
        }
        // The answer was not what the spec describes: a bug to report, with the JSON path.
        Error::Decode { path, .. } => format!("unexpected answer at `{path}`: {err}"),
        // `Error` is non-exhaustive: later versions may add kinds.
        other => format!("{other}"),
    }
}

async fn run(email: &str, partner_key: &str) -> partnerstack::Result<()> {
    let client = Client::from_env()?;
    let customer = client
        .customers()
        .create(
            // The builder takes the fields that must have a value, each by name (`build()`
            // does not compile until all are set); `customer_key` may be null, so it is a
            // setter on the value (left out, it is sent as `null`).
            CustomerCreate::builder()
                .email(email)
                .partner_key(partner_key)
                .build()
                .customer_key(format!("example-{email}"))
                .name("Example Customer"),
        )
        .send()
        .await?;
    println!("customer {} created", customer.key);

    let transaction = client
        .transactions()
        .create(
            TransactionCreate::builder()
                .amount(12_500) // minor units: USD 125.00
                .currency("USD")
                .customer(TransactionCreateCustomer::CustomerKey(customer.key.clone()))
                .build()
                .product_key("example-plan"),
        )
        .send()
        .await?;
    println!("transaction {} created", transaction.key);
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [email, partner_key] = args.as_slice() else {
        eprintln!("usage: create_customer EMAIL PARTNER_KEY");
        return std::process::ExitCode::from(2);
    };
    match run(email, partner_key).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", explain(&err));
            std::process::ExitCode::FAILURE
        }
    }
}
