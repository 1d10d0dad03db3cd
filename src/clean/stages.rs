//! Where the time of the last [`super::clean`] went, stage by stage (read the
//! original, decode, turn upright, cover, encode, re-check, ...), for the
//! measurement scripts (`tests/e2e/pagecopy.test.mjs` "measure", `bench/cover.mjs`).
//!
//! It only records durations in a per-thread list; nothing reads them to decide
//! anything, and a clock that cannot be read just gives zeros.

use std::cell::RefCell;

thread_local! {
    /// (stage, milliseconds) of the current or last clean, and when the last mark was set.
    static STAGES: RefCell<(Vec<(&'static str, f64)>, f64)> = const { RefCell::new((Vec::new(), 0.0)) };
}

/// Starts a new list: called once at the start of a clean.
pub(crate) fn start() {
    STAGES.with(|s| *s.borrow_mut() = (Vec::new(), now_ms()));
}

/// Ends the stage `name`: the time since the previous mark (or `start`) is added to it.
pub(crate) fn mark(name: &'static str) {
    let now = now_ms();
    STAGES.with(|s| {
        let (list, last) = &mut *s.borrow_mut();
        list.push((name, now - *last));
        *last = now;
    });
}

/// The stages of the last clean on this thread, in order, in milliseconds.
pub fn last_stage_times() -> Vec<(&'static str, f64)> {
    STAGES.with(|s| s.borrow().0.clone())
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

/// `performance.now()` of the page or worker (std's clock is not available on wasm32).
#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let read = || {
        let performance = js_sys::Reflect::get(&global, &"performance".into()).ok()?;
        let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        now.call0(&performance).ok()?.as_f64()
    };
    read().unwrap_or(0.0)
}
