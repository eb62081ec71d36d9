//! Who may open a connection to the host, per address: a rate of new connections (a token
//! bucket), a few connections waiting for their hello at a time (a newer one pushes the oldest
//! out, so a flood of idle connections cannot keep a real joiner out), a few wrong-token refusals
//! in progress, and a cap on joined terminals. Pure bookkeeping: the caller owns the sockets and
//! the clock.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// New connections an address may open in a burst...
pub const BURST: f64 = 64.0;
/// ...and per second after it.
pub const PER_SECOND: f64 = 32.0;
/// Connections from one address waiting for their hello at once; a newer one closes the oldest.
pub const WAITING_PER_ADDRESS: usize = 32;
/// Connections waiting for their hello, from all addresses together.
pub const WAITING_IN_ALL: usize = 512;
/// Wrong-token refusals (each held back a second) in progress per address; more are just closed.
pub const REFUSING_PER_ADDRESS: usize = 4;
/// Joined terminals in all. Every joiner through an SSH tunnel comes from 127.0.0.1, so one
/// address may hold many.
pub const JOINED_IN_ALL: usize = 256;
/// Joined terminals from one address.
pub const JOINED_PER_ADDRESS: usize = 128;
/// Addresses remembered before idle ones are forgotten.
const ADDRESSES_KEPT: usize = 4096;

/// Why a connection is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {
    /// The address opens connections faster than the rate.
    TooFast,
    /// Too many connections wait for their hello.
    Busy,
    /// Too many joined terminals (from this address or in all).
    Full,
}

impl Deny {
    /// For the host's screen and log.
    pub fn reason(self) -> &'static str {
        match self {
            Deny::TooFast => "too many new connections",
            Deny::Busy => "too many connections waiting to say hello",
            Deny::Full => "too many joined terminals",
        }
    }
}

#[derive(Debug)]
struct Address<T> {
    tokens: f64,
    refilled: Instant,
    waiting: VecDeque<(u64, T)>,
    refusing: usize,
    joined: usize,
}

/// The admission bookkeeping; `T` is whatever closes a waiting connection.
#[derive(Debug)]
pub struct Gate<T> {
    addresses: HashMap<IpAddr, Address<T>>,
    waiting: usize,
    joined: usize,
    next: u64,
}

impl<T> Default for Gate<T> {
    fn default() -> Self {
        Gate { addresses: HashMap::new(), waiting: 0, joined: 0, next: 0 }
    }
}

impl<T> Gate<T> {
    /// A connection from `ip` arrived at `now`: its number, and the handle of an older
    /// connection from the same address it pushes out, if any.
    pub fn arrive(&mut self, ip: IpAddr, now: Instant, close: T) -> Result<(u64, Option<T>), Deny> {
        if self.addresses.len() >= ADDRESSES_KEPT && !self.addresses.contains_key(&ip) {
            self.forget_idle(now);
        }
        let address = self.addresses.entry(ip).or_insert_with(|| Address {
            tokens: BURST,
            refilled: now,
            waiting: VecDeque::new(),
            refusing: 0,
            joined: 0,
        });
        let elapsed = now.saturating_duration_since(address.refilled).as_secs_f64();
        address.tokens = (address.tokens + elapsed * PER_SECOND).min(BURST);
        address.refilled = now;
        if address.tokens < 1.0 {
            return Err(Deny::TooFast);
        }
        let pushed_out =
            if address.waiting.len() >= WAITING_PER_ADDRESS { address.waiting.pop_front() } else { None };
        if pushed_out.is_none() && self.waiting >= WAITING_IN_ALL {
            return Err(Deny::Busy);
        }
        address.tokens -= 1.0;
        self.next += 1;
        address.waiting.push_back((self.next, close));
        if pushed_out.is_none() {
            self.waiting += 1;
        }
        Ok((self.next, pushed_out.map(|(_, close)| close)))
    }

    /// Connection `id` from `ip` no longer waits for its hello (it said it, or it ended).
    pub fn done_waiting(&mut self, ip: IpAddr, id: u64) {
        if let Some(address) = self.addresses.get_mut(&ip) {
            let before = address.waiting.len();
            address.waiting.retain(|(waiting, _)| *waiting != id);
            self.waiting -= before - address.waiting.len();
        }
    }

    /// A wrong token from `ip`: true if it may be told so after the delay, false to just close.
    pub fn start_refusal(&mut self, ip: IpAddr) -> bool {
        match self.addresses.get_mut(&ip) {
            Some(address) if address.refusing < REFUSING_PER_ADDRESS => {
                address.refusing += 1;
                true
            }
            _ => false,
        }
    }

    /// A refusal started with `start_refusal` is done.
    pub fn end_refusal(&mut self, ip: IpAddr) {
        if let Some(address) = self.addresses.get_mut(&ip) {
            address.refusing = address.refusing.saturating_sub(1);
        }
    }

    /// A terminal from `ip` proved the token: may it join?
    pub fn join(&mut self, ip: IpAddr) -> Result<(), Deny> {
        let address = self.addresses.get_mut(&ip).ok_or(Deny::Full)?;
        if address.joined >= JOINED_PER_ADDRESS || self.joined >= JOINED_IN_ALL {
            return Err(Deny::Full);
        }
        address.joined += 1;
        self.joined += 1;
        Ok(())
    }

    /// A joined terminal from `ip` left.
    pub fn leave(&mut self, ip: IpAddr) {
        if let Some(address) = self.addresses.get_mut(&ip) {
            if address.joined > 0 {
                address.joined -= 1;
                self.joined -= 1;
            }
        }
    }

    /// Connections waiting for their hello now.
    pub fn waiting(&self) -> usize {
        self.waiting
    }

    fn forget_idle(&mut self, now: Instant) {
        // An address with nothing open and a full bucket again is as good as new.
        let full_after = Duration::from_secs_f64(BURST / PER_SECOND);
        self.addresses.retain(|_, a| {
            !a.waiting.is_empty()
                || a.refusing > 0
                || a.joined > 0
                || now.saturating_duration_since(a.refilled) < full_after
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn a_burst_is_cut_to_the_rate_and_the_bucket_refills() {
        let mut gate = Gate::default();
        let now = Instant::now();
        let mut taken = 0;
        for _ in 0..1000 {
            if let Ok((id, _)) = gate.arrive(ip(2), now, ()) {
                gate.done_waiting(ip(2), id);
                taken += 1;
            }
        }
        assert_eq!(taken, BURST as usize);
        assert_eq!(gate.arrive(ip(2), now, ()).err(), Some(Deny::TooFast));
        assert!(gate.arrive(ip(1), now, ()).is_ok(), "another address is not affected");
        assert!(gate.arrive(ip(2), now + Duration::from_millis(100), ()).is_ok(), "refilled");
    }

    #[test]
    fn a_newer_connection_pushes_out_the_oldest_waiting_one_from_its_address() {
        let mut gate = Gate::default();
        let now = Instant::now();
        let first: Vec<u64> =
            (0..WAITING_PER_ADDRESS as u64).map(|n| gate.arrive(ip(2), now, n).expect("taken").0).collect();
        assert_eq!(gate.waiting(), WAITING_PER_ADDRESS);
        let (_, pushed) = gate.arrive(ip(2), now, 99).expect("taken");
        assert_eq!(pushed, Some(0), "the oldest waiting connection is closed");
        assert_eq!(gate.waiting(), WAITING_PER_ADDRESS);
        gate.done_waiting(ip(2), first[0]);
        assert_eq!(gate.waiting(), WAITING_PER_ADDRESS, "a pushed-out connection is already gone");
        gate.done_waiting(ip(2), first[1]);
        assert_eq!(gate.waiting(), WAITING_PER_ADDRESS - 1);
    }

    #[test]
    fn waiting_connections_are_capped_in_all_and_joined_ones_per_address() {
        let mut gate = Gate::default();
        let now = Instant::now();
        let addresses = WAITING_IN_ALL / WAITING_PER_ADDRESS;
        for a in 0..addresses {
            for _ in 0..WAITING_PER_ADDRESS {
                gate.arrive(ip(a as u8 + 1), now, ()).expect("taken");
            }
        }
        assert_eq!(gate.arrive(ip(200), now, ()).err(), Some(Deny::Busy));
        for _ in 0..JOINED_PER_ADDRESS {
            gate.join(ip(1)).expect("joined");
        }
        assert_eq!(gate.join(ip(1)), Err(Deny::Full));
        gate.leave(ip(1));
        assert_eq!(gate.join(ip(1)), Ok(()));
    }

    #[test]
    fn wrong_token_refusals_in_progress_are_few_per_address() {
        let mut gate = Gate::default();
        gate.arrive(ip(3), Instant::now(), ()).expect("taken");
        let told = (0..10).filter(|_| gate.start_refusal(ip(3))).count();
        assert_eq!(told, REFUSING_PER_ADDRESS);
        gate.end_refusal(ip(3));
        assert!(gate.start_refusal(ip(3)));
    }
}
