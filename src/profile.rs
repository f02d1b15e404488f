//! Stage timings for profiling builds: set `HANDREIKING_PROFIEL=1` to print them on standard error.

use std::time::Instant;

pub struct Stages {
    enabled: bool,
    last: Instant,
}

impl Stages {
    pub fn start() -> Stages {
        Stages {
            enabled: std::env::var_os("HANDREIKING_PROFIEL").is_some(),
            last: Instant::now(),
        }
    }

    pub fn done(&mut self, stage: &str) {
        if self.enabled {
            eprintln!(
                "profiel: {stage:<24} {:>8.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}
