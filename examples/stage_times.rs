//! Where the time of one check goes, per stage, over a folder of photos (developer tool).
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).expect("DIR");
    let (mut walk, mut read, mut full) = (0.0, 0.0, 0.0);
    for e in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        for _ in 0..20 {
            let t = Instant::now();
            let Ok(c) = thinktwice::container::walk(&bytes) else { continue };
            walk += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let _m = thinktwice::meta::read(&c);
            read += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let _r = thinktwice::check(&bytes, "x", &Default::default());
            full += t.elapsed().as_secs_f64();
        }
    }
    println!("walk {:.1} ms, read {:.1} ms, whole check {:.1} ms (20 rounds)", walk * 1e3, read * 1e3, full * 1e3);
}
