//! Survey statistics: waves from YAML, exact percentages, SVG charts, downloads, and the pages.

pub mod chart;
pub mod compare;
pub mod download;
pub mod model;
pub mod numbers;
pub mod pages;
pub mod series;
pub mod svg;
pub mod view;
