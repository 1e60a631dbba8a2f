//! The API's `Client` (resource accessors) and `ClientBuilder` (credentials and settings).

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, summary};
use crate::ir::{Api, Auth, Credential, Envelope};

/// The tokens of `<api>/client.rs`.
pub fn emit(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let envelope = match api.envelope {
        Envelope::DataMessageStatus => quote!(Envelope::Data),
        Envelope::None => quote!(Envelope::None),
    };
    let creds = Creds::of(api);
    let client_doc = doc(&client_doc(api, &creds));
    let accessors = api
        .resources
        .iter()
        .filter(|r| !r.operations.is_empty())
        .map(|res| {
            let method = ident(&res.accessor);
            let ty = ident(&res.struct_name);
            let docs = doc(summary(&res.doc));
            quote! {
                #docs
                pub fn #method(&self) -> super::endpoints::#ty<'_> {
                    super::endpoints::#ty {
                        transport: &self.transport,
                    }
                }
            }
        });
    let unused = api
        .resources
        .iter()
        .all(|r| r.operations.is_empty())
        .then(|| quote!(#[allow(dead_code, reason = "this API has no operations yet")]));
    let new = creds.new_fn();
    let read_env = creds.read_env(&config_field_name(api), &api.base_url_env_var);
    let (fields, field_init, setters, credentials) = (
        creds.fields(),
        creds.field_init(),
        creds.setters(),
        creds.take_from_builder(),
    );
    let config = ident(&api.config_field);
    let settings = settings(&config);
    quote! {
        use std::time::Duration;

        use crate::auth::{Credentials, Secret};
        use crate::config::Config;
        use crate::transport::{Envelope, Transport};

        const ENVELOPE: Envelope = #envelope;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            #unused
            transport: Transport,
        }

        impl Client {
            /// The base URL used unless [`ClientBuilder::base_url`] sets another.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #new

            /// A client with the default settings, its credentials read from the environment
            /// (see [`ClientBuilder::read_env`]).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming the variable
            /// that is missing, or when the credentials or base URL are unusable.
            pub fn from_env() -> crate::Result<Client> {
                Self::builder().read_env()?.build()
            }

            /// A builder to set credentials, base URL, HTTP client, timeouts and limits.
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    #config: Config::new(Self::DEFAULT_BASE_URL),
                    #field_init
                }
            }

            #(#accessors)*
        }

        /// Settings for a [`Client`]; start with [`Client::builder`], finish with
        /// [`ClientBuilder::build`].
        #[derive(Debug, Clone)]
        #[must_use = "call `build()` to get a client"]
        pub struct ClientBuilder {
            #config: Config,
            #fields
        }

        impl ClientBuilder {
            #setters
            #read_env
            #settings

            /// Checks the settings and builds the client.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when credentials are
            /// missing or cannot be sent in a header, or the base URL or user agent is unusable.
            pub fn build(self) -> crate::Result<Client> {
                let credentials = #credentials;
                let transport = self.#config.build(credentials, ENVELOPE)?;
                Ok(Client { transport })
            }
        }
    }
}

/// The name of the builder's settings field.
fn config_field_name(api: &Api) -> crate::names::Ident {
    api.config_field.clone()
}

/// The `Client`'s docs: what it is, how to get one, with an example.
fn client_doc(api: &Api, creds: &Creds) -> String {
    let module = &api.module;
    let vars: Vec<String> = creds
        .parts
        .iter()
        .map(|(c, _)| format!("`{}`", c.env_var))
        .collect();
    let literals: Vec<String> = creds
        .parts
        .iter()
        .enumerate()
        .map(|(i, (c, _))| {
            let n = c.name.as_str();
            if creds.basic {
                let (ty, example) = if i == 0 {
                    ("PublicKey", "pk_…")
                } else {
                    ("SecretKey", "sk_…")
                };
                format!("partnerstack::{ty}::from(\"{example}\")")
            } else {
                format!("\"my-{}\"", n.replace('_', "-"))
            }
        })
        .collect();
    let setters: String = creds
        .parts
        .iter()
        .map(|(c, _)| format!("\n    .{}(\"…\")", c.name.unraw()))
        .collect();
    format!(
        "A client for the {title}.\n\n\
         Cheap to clone: clones share one connection pool. Get one from [`Client::new`] with the \
         defaults, from [`Client::from_env`] (credentials in {vars}, the base URL in \
         `{base_url_env_var}` when set), or from [`Client::builder`] to change settings.\n\n\
         ```no_run\n\
         use std::time::Duration;\n\
         use partnerstack::{module}::Client;\n\n\
         # fn run() -> partnerstack::Result<()> {{\n\
         let client = Client::from_env()?;\n\
         let client = Client::new({args});\n\
         let client = Client::builder(){setters}\n    .timeout(Duration::from_secs(10))\n    .build()?;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        title = api.title,
        vars = vars.join(" and "),
        args = literals.join(", "),
        base_url_env_var = api.base_url_env_var,
    )
}

/// The builder setters every API shares, forwarding to the runtime's `Config`.
fn settings(config: &proc_macro2::Ident) -> TokenStream {
    quote! {
        /// Sends requests to this base URL instead of [`Client::DEFAULT_BASE_URL`] (a proxy,
        /// a test server). `https://` is required except for loopback hosts, unless
        /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.#config.base_url = base_url.into();
            self
        }

        /// Sends requests through your own `reqwest::Client` (to share its connection pool,
        /// proxy or TLS settings). Its settings then apply; [`connect_timeout`](Self::connect_timeout)
        /// is ignored, [`timeout`](Self::timeout) still applies per request. Build it from
        /// [`crate::reqwest_builder`], which sets the TLS backend up (with the default
        /// `rustls-ring` feature, `reqwest::Client::new()` panics) and follows no redirects;
        /// its docs say which of reqwest's TLS settings then apply.
        pub fn http_client(mut self, http: reqwest::Client) -> Self {
            self.#config.http = Some(http);
            self
        }

        /// Time allowed for each attempt, from sending to the last byte of the response.
        /// Default: 30 seconds.
        pub fn timeout(mut self, timeout: Duration) -> Self {
            self.#config.timeout = Some(timeout);
            self
        }

        /// Time allowed to open a connection. Default: 10 seconds.
        pub fn connect_timeout(mut self, timeout: Duration) -> Self {
            self.#config.connect_timeout = timeout;
            self
        }

        /// The `User-Agent` header. Default: `partnerstack-rust/<version>`.
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.#config.user_agent = Some(user_agent.into());
            self
        }

        /// The largest response body accepted, in bytes; a larger one is refused with
        /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) instead of filling
        /// memory. Default: 8 MiB.
        pub fn max_response_bytes(mut self, bytes: usize) -> Self {
            self.#config.max_response_bytes = bytes;
            self
        }

        /// Allows a plain `http://` base URL to a host that is not loopback. Off by default,
        /// because credentials would cross the network in clear text.
        pub fn allow_insecure_http(mut self, allow: bool) -> Self {
            self.#config.allow_insecure_http = allow;
            self
        }

        /// At most `n` requests a second from this client: its clones, every task and every
        /// walk (a partitioned one's windows included) share the rate, and every attempt,
        /// retries included, waits for its turn, spaced evenly (`1/n` seconds apart, no
        /// burst). Off by default. `0` is refused when the client is built.
        pub fn max_requests_per_second(mut self, n: u32) -> Self {
            self.#config.max_requests_per_second = Some(n);
            self
        }

        /// How failed requests are retried. Default: [`RetryPolicy::default`](crate::RetryPolicy::default);
        /// [`RetryPolicy::never`](crate::RetryPolicy::never) turns retries off.
        pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
            self.#config.retry = policy;
            self
        }

        /// Called before every attempt with an empty header map: headers put there are sent
        /// with the request (a trace id, say). `Authorization` cannot be set this way.
        pub fn on_request(
            mut self,
            hook: impl Fn(&crate::RequestInfo, &mut reqwest::header::HeaderMap) + Send + Sync + 'static,
        ) -> Self {
            self.#config.hooks.on_request = Some(std::sync::Arc::new(hook));
            self
        }

        /// Called after every attempt, successful or not, with its status, headers and
        /// duration (for metrics, say).
        pub fn on_response(
            mut self,
            hook: impl Fn(&crate::ResponseInfo<'_>) + Send + Sync + 'static,
        ) -> Self {
            self.#config.hooks.on_response = Some(std::sync::Arc::new(hook));
            self
        }
    }
}

/// What differs between auth schemes: the credential fields, setters and `new` arguments.
struct Creds {
    /// (credential, doc) per credential part, in `new`'s argument order.
    parts: Vec<(Credential, String)>,
    basic: bool,
}

impl Creds {
    fn of(api: &Api) -> Self {
        const SECRET: &str = "Never shown by `Debug` or in errors.";
        let basic = api.auth == Auth::Basic;
        let parts = api
            .credentials
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let doc = match (basic, i) {
                    (false, _) => format!(
                        "The {}, sent as `Authorization: Bearer <…>`. {SECRET}",
                        crate::names::words(&c.name)
                    ),
                    (true, 0) => format!(
                        "The public key (`pk_…`), sent as the HTTP Basic user name. {SECRET}"
                    ),
                    (true, _) => format!(
                        "The secret key (`sk_…`), sent as the HTTP Basic password. {SECRET}"
                    ),
                };
                (c.clone(), doc)
            })
            .collect();
        Creds { parts, basic }
    }

    fn names(&self) -> impl Iterator<Item = proc_macro2::Ident> + '_ {
        self.parts.iter().map(|(c, _)| ident(&c.name))
    }

    /// The `Credentials` value built from one expression per part.
    fn credentials(&self, mut parts: Vec<TokenStream>) -> TokenStream {
        if self.basic && parts.len() == 2 {
            let password = parts.pop();
            let user = parts.pop();
            quote!(Credentials::Basic { user: #user, password: #password })
        } else {
            let token = parts.pop();
            quote!(Credentials::Bearer(#token))
        }
    }

    fn fields(&self) -> TokenStream {
        let names = self.names();
        quote!(#(#names: Option<Secret>,)*)
    }

    fn field_init(&self) -> TokenStream {
        let names = self.names();
        quote!(#(#names: None,)*)
    }

    fn setters(&self) -> TokenStream {
        let setters = self.parts.iter().map(|(c, d)| {
            let name = ident(&c.name);
            let docs = doc(d);
            quote! {
                #docs
                pub fn #name(mut self, #name: impl Into<String>) -> Self {
                    self.#name = Some(Secret::new(#name));
                    self
                }
            }
        });
        quote!(#(#setters)*)
    }

    /// The credentials expression in `build()`, failing when a part is missing.
    fn take_from_builder(&self) -> TokenStream {
        let parts = self
            .parts
            .iter()
            .map(|(c, _)| {
                let name = ident(&c.name);
                let n = &c.name;
                let msg = format!("`{n}` is required: call `ClientBuilder::{n}`");
                quote!(self.#name.ok_or_else(|| crate::Error::invalid(None, #msg))?)
            })
            .collect();
        self.credentials(parts)
    }

    /// `ClientBuilder::read_env` and `read_env_with`.
    fn read_env(&self, config: &crate::names::Ident, base_url_env_var: &str) -> TokenStream {
        let config = ident(config);
        let list: Vec<String> = self
            .parts
            .iter()
            .map(|(c, _)| format!("`{}`", c.env_var))
            .collect();
        let reads = self.parts.iter().map(|(c, _)| {
            let name = ident(&c.name);
            let var = c.env_var.as_str();
            quote!(self.#name = Some(crate::auth::env_required(&lookup, #var)?);)
        });
        let doc_text = format!(
            "Sets the credentials from the environment variables {} and, when \
             `{base_url_env_var}` is set, the base URL.\n\n\
             # Errors\n\n\
             [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming the first \
             variable that is unset, empty or not valid Unicode.",
            list.join(" and ")
        );
        let docs = doc(&doc_text);
        quote! {
            #docs
            pub fn read_env(self) -> crate::Result<Self> {
                self.read_env_with(|name| std::env::var(name).ok())
            }

            /// As [`read_env`](Self::read_env), reading each variable through `lookup`
            /// instead of the process environment (a configuration map, a test's values).
            ///
            /// # Errors
            ///
            /// As [`read_env`](Self::read_env).
            pub fn read_env_with(
                mut self,
                lookup: impl Fn(&str) -> Option<String>,
            ) -> crate::Result<Self> {
                #(#reads)*
                if let Some(base_url) = crate::auth::env_value(&lookup, #base_url_env_var) {
                    self.#config.base_url = base_url;
                }
                Ok(self)
            }
        }
    }

    fn new_fn(&self) -> TokenStream {
        let args: Vec<TokenStream> = if self.basic {
            // Two strings in a row are easily swapped: each half of the pair has its own type.
            self.names()
                .zip([quote!(crate::PublicKey), quote!(crate::SecretKey)])
                .map(|(name, ty)| quote!(#name: #ty))
                .collect()
        } else {
            self.names()
                .map(|name| quote!(#name: impl Into<String>))
                .collect()
        };
        let values = if self.basic {
            self.names().map(|n| quote!(#n.0)).collect()
        } else {
            self.names().map(|n| quote!(Secret::new(#n))).collect()
        };
        let credentials = self.credentials(values);
        quote! {
            /// A client with the default settings.
            ///
            /// Credentials that cannot be sent (empty, or with characters not allowed in a
            /// header) are reported by the first request; [`Client::builder`] reports them at
            /// once.
            ///
            /// In a build without a TLS feature, every request reports that the default
            /// (https) base URL needs one.
            ///
            /// # Panics
            ///
            /// If the TLS backend cannot be initialised, as `reqwest::Client::new` does; use
            /// [`Client::builder`] to get that as an error instead.
            pub fn new(#(#args),*) -> Self {
                match Config::new(Self::DEFAULT_BASE_URL).build_deferred(#credentials, ENVELOPE) {
                    Ok(transport) => Self { transport },
                    Err(e) => panic!("cannot build the HTTP client: {e}"),
                }
            }
        }
    }
}
