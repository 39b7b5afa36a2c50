//! Fuzz target: see `citeindex_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citeindex_fuzz::query(data));
