//! Writes the test photos of `tests/fixtures` into a folder, for the
//! end-to-end tests (`tests/e2e/run.mjs`). Usage: make_fixtures DIR
#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "e2e-out/fixtures".into());
    std::fs::create_dir_all(&dir).expect("cannot create the fixture folder");
    for (name, bytes) in fixtures::all() {
        let path = std::path::Path::new(&dir).join(name);
        std::fs::write(&path, bytes).expect("cannot write a fixture");
        println!("{}", path.display());
    }
}
