//! Test-only: the one xorshift64 generator the crate's unit tests draw their random inputs from
//! (a fixed seed gives the same inputs on every run, so a failure can be replayed). Must not be
//! used outside tests: it is not a source of secrets or of fair samples.

/// xorshift64 (Marsaglia): `XorShift(seed)`, seed not zero.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// The next number of the sequence.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
