//! One sort for the whole crate: [`by_key`] sorts any slice by a `u64` key,
//! keeping items with equal keys in their order (stable). Owns only ordering.
//!
//! Why not `slice::sort_by_key`: the standard library's sorts are generic, so
//! every element type and key closure gets its own copy of the whole algorithm
//! (~3-4 KB of WebAssembly each; ten of them were ~40 KB of the core module,
//! which a phone downloads before its first check). Here the sorting is done once,
//! on `(key, position)` pairs, and only the small step that moves the items is
//! generic. Must not: be used where a key does not fit in a `u64` (pack
//! several small fields into one, highest first, as the callers do).

/// Sorts `items` by `key`, ascending; items with equal keys keep their order.
pub fn by_key<T>(items: &mut [T], key: impl Fn(&T) -> u64) {
    let mut order: Vec<(u64, usize)> = items.iter().map(key).zip(0..).collect();
    sort_pairs(&mut order);
    // Position j takes the item now at order[j].1: follow each cycle of the
    // permutation once, swapping along it.
    let mut from: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut at = start;
        loop {
            let next = from[at];
            from[at] = at;
            if next == start || next == at {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// The one instance of the standard sort: pairs are unique (positions differ),
/// so an unstable sort gives the stable order.
#[inline(never)]
fn sort_pairs(pairs: &mut [(u64, usize)]) {
    pairs.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::by_key;

    /// Against the standard library's stable sort, on keys with many repeats.
    #[test]
    fn same_order_as_a_stable_sort() {
        let mut seed = 12345u64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            by_key(&mut ours, |x| u64::from(x.0));
            let mut std_sorted = items;
            std_sorted.sort_by_key(|x| x.0);
            assert_eq!(ours, std_sorted, "len {len}");
        }
    }
}
