//! Joining over the network: the wire protocol, the host that accepts joined terminals, and
//! the link a joined terminal keeps to it. The console stamps and stores; this only carries.

pub mod host;
pub mod join;
pub mod protocol;

pub use host::{Host, HostConfig, HostNews, Peer, Submission};
pub use join::{JoinConfig, Link, LinkNews};
pub use protocol::{new_client_id, new_token, Outcome};
