//! handreiking: a static site generator for the Dutch municipal handbook on IDO's and its monitor.
// Input must never make the tool panic or compute wrong figures: these are errors outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        // Integer overflow (a panic in debug builds, a silent wrap in release) and division by zero.
        clippy::arithmetic_side_effects
    )
)]
// Small functions with one job each: clippy.toml sets the limit at 120 lines.
#![deny(clippy::too_many_lines)]

pub mod check;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod escape;
pub mod highlight;
pub mod images;
pub mod load;
pub mod markdown;
pub mod nl;
pub mod output;
pub mod pipeline;
pub mod profile;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod segment;
pub mod serve;
pub mod slug;
pub mod source;
pub mod stats;
pub mod synthetic;
pub mod theme;
pub mod urls;
pub mod walk;
pub mod yaml;
