//! Finite fields GF(p^k), the arithmetic behind affine geometries, Kirkman triple systems and
//! resolvable designs with rooms of four.
//!
//! An element is a polynomial over GF(p) of degree below `k`, stored as the integer whose
//! base-`p` digits are its coefficients (so GF(p) itself is `0..p` with the usual arithmetic).
//! Multiplication goes through discrete logarithms to a primitive element, found with the
//! field: the polynomial defining the field is chosen primitive, so `x` itself generates.

/// Largest order built: the tables hold `2q` entries and constructions need far less.
const MAX_ORDER: usize = 1 << 16;

/// The finite field of order `q = p^k`.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    p: usize,
    k: usize,
    q: usize,
    /// `exp[i]` = ω^i for the primitive element ω, `i < q - 1`.
    exp: Vec<usize>,
    /// `log[x]` = i with ω^i = x, for `x != 0`.
    log: Vec<usize>,
}

/// `(p, k)` with `q = p^k`, `p` prime, if `q` is a prime power (`q >= 2`).
pub(crate) fn prime_power(q: usize) -> Option<(usize, usize)> {
    if q < 2 {
        return None;
    }
    let p = (2..=q).find(|d| q.is_multiple_of(*d))?;
    let mut rest = q;
    let mut k = 0;
    while rest.is_multiple_of(p) {
        rest /= p;
        k += 1;
    }
    (rest == 1).then_some((p, k))
}

impl Field {
    /// GF(q), if `q` is a prime power within reach.
    pub fn new(q: usize) -> Option<Field> {
        if q > MAX_ORDER {
            return None;
        }
        let (p, k) = prime_power(q)?;
        // A monic polynomial x^k + c(x) is primitive when x has order exactly q - 1 modulo
        // it; such polynomials always exist, and the first is found after a few tries.
        (0..q).filter(|c| c % p != 0).find_map(|c| Field::with_modulus(p, k, q, c))
    }

    /// The field modulo x^k + c(x) (`c`'s base-`p` digits), if x generates its units.
    fn with_modulus(p: usize, k: usize, q: usize, c: usize) -> Option<Field> {
        let coefficient: Vec<usize> = (0..k).map(|i| (c / p.pow(i as u32)) % p).collect();
        let mut exp = Vec::with_capacity(q - 1);
        let mut log = vec![usize::MAX; q];
        let mut x = 1usize;
        for i in 0..q - 1 {
            if log[x] != usize::MAX {
                return None; // x returned to a power seen before: its order is below q - 1
            }
            log[x] = i;
            exp.push(x);
            x = times_x(x, p, k, &coefficient);
        }
        (x == 1).then_some(Field { p, k, q, exp, log })
    }

    /// The number of elements.
    pub fn order(&self) -> usize {
        self.q
    }

    /// ω^i for the field's primitive element ω (any integer power, taken modulo q - 1).
    pub fn power(&self, i: usize) -> usize {
        self.exp[i % (self.q - 1)]
    }

    /// The i with ω^i = x; None for 0.
    pub fn log(&self, x: usize) -> Option<usize> {
        (x != 0 && x < self.q).then(|| self.log[x])
    }

    pub fn add(&self, a: usize, b: usize) -> usize {
        self.digitwise(a, b, |x, y| (x + y) % self.p)
    }

    pub fn sub(&self, a: usize, b: usize) -> usize {
        self.digitwise(a, b, |x, y| (x + self.p - y) % self.p)
    }

    pub fn neg(&self, a: usize) -> usize {
        self.sub(0, a)
    }

    pub fn mul(&self, a: usize, b: usize) -> usize {
        if a == 0 || b == 0 {
            return 0;
        }
        self.exp[(self.log[a] + self.log[b]) % (self.q - 1)]
    }

    /// a / b; None when b is 0.
    pub fn div(&self, a: usize, b: usize) -> Option<usize> {
        if b == 0 {
            return None;
        }
        if a == 0 {
            return Some(0);
        }
        Some(self.exp[(self.log[a] + (self.q - 1) - self.log[b]) % (self.q - 1)])
    }

    /// The element n·1 (n copies of one added).
    pub fn integer(&self, n: usize) -> usize {
        n % self.p
    }

    fn digitwise(&self, mut a: usize, mut b: usize, op: impl Fn(usize, usize) -> usize) -> usize {
        let mut out = 0;
        let mut place = 1;
        for _ in 0..self.k {
            out += op(a % self.p, b % self.p) * place;
            a /= self.p;
            b /= self.p;
            place *= self.p;
        }
        out
    }
}

/// x · a modulo x^k + c(x), coefficients mod p.
fn times_x(a: usize, p: usize, k: usize, coefficient: &[usize]) -> usize {
    let digits: Vec<usize> = (0..k).map(|i| (a / p.pow(i as u32)) % p).collect();
    let top = digits[k - 1];
    let mut out = 0;
    let mut place = 1;
    for i in 0..k {
        let shifted = if i == 0 { 0 } else { digits[i - 1] };
        // x^k = -c(x): subtract top · c_i.
        out += (shifted + p * p - (top * coefficient[i]) % p) % p * place;
        place *= p;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_small_prime_power_gives_a_field() {
        for q in 2..=128 {
            let Some(field) = Field::new(q) else {
                assert!(prime_power(q).is_none(), "GF({q}) missing");
                continue;
            };
            // Field axioms on every pair: distributivity, inverses, and a generator.
            for a in 0..q {
                assert_eq!(field.add(a, field.neg(a)), 0);
                if a != 0 {
                    assert_eq!(field.div(a, a), Some(1));
                }
                for b in 0..q {
                    assert_eq!(field.sub(field.add(a, b), b), a);
                    let c = (a * 7 + b * 3 + 1) % q;
                    assert_eq!(
                        field.mul(a, field.add(b, c)),
                        field.add(field.mul(a, b), field.mul(a, c)),
                        "GF({q})"
                    );
                }
            }
            let mut seen: Vec<usize> = (0..q - 1).map(|i| field.power(i)).collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..q).collect::<Vec<_>>(), "GF({q}) generator");
        }
    }
}
