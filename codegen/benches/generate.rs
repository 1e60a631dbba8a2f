//! Codegen time for the full spec: `cargo bench -p partnerstack-codegen --bench generate`.
//!
//! Times each stage and the whole pipeline (read spec files, load, validate, emit, format) over
//! many runs and prints medians; it writes nothing. Plain `std::time` keeps the bench free of
//! dependencies; medians keep it honest on a noisy machine.

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn main() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let sources = partnerstack_codegen::read_specs(&spec).expect("spec/ is readable");
    let files = partnerstack_codegen::generate_sources(&sources).expect("the spec is valid");
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    let spec_lines: usize = sources.iter().map(|(_, t)| t.lines().count()).sum();
    let runs = 50;
    let load = time(runs, || {
        sources
            .iter()
            .filter(|(name, text)| partnerstack_codegen::load(name, text).is_ok())
            .count()
    });
    let full = time(runs, || {
        partnerstack_codegen::generate(&spec).map(|f| f.len())
    });
    println!("spec: {} files, {spec_lines} lines", sources.len());
    println!("generated: {} files, {lines} lines", files.len());
    for (name, text) in &sources {
        let one = time(runs, || {
            partnerstack_codegen::generate_sources(&[(name.clone(), text.clone())]).is_ok()
        });
        println!("  {name}: {one:.2?} (median of {runs}, alone)");
    }
    println!("load + validate (all specs): {load:.2?} (median of {runs})");
    println!("full pipeline (read, load, validate, emit, format): {full:.2?} (median of {runs})");
}
