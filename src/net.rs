//! The only code that opens sockets: `tlsctl probe` (a TLS client that
//! speaks just enough NATS to upgrade) and `tlsctl serve` (a TLS server
//! that reloads its material the way hitless rotation works). Both use
//! rustls on aws-lc-rs; what they find is judged by `pki`.
//!
//! Nothing here connects anywhere but the address it is given.

pub mod probe;
pub mod serve;

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// The one crypto provider: aws-lc-rs, as rcgen and webpki use.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}
