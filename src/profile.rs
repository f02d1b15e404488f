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
                "profiel: {stage:<24} {:>8.1} ms {:>8} kB",
                self.last.elapsed().as_secs_f64() * 1000.0,
                current_memory_kb().unwrap_or(0)
            );
        }
        self.last = Instant::now();
    }
}

/// Resident memory of this process now, in kB (Linux: VmRSS).
pub fn current_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak resident memory of this process in kB (Linux: VmHWM), for benchmarks.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Stages {
    /// Prints the peak memory when profiling is on.
    pub fn peak_memory(&self) {
        if self.enabled
            && let Some(kb) = peak_memory_kb()
        {
            eprintln!("profiel: piekgeheugen {kb} kB");
        }
    }
}
