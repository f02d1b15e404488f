//! Stage timings for profiling builds: set `HANDREIKING_PROFIEL=1` to print them on standard error.

use std::time::Instant;

pub struct Stages {
    enabled: bool,
    last: Instant,
    last_cpu_ms: u64,
}

impl Stages {
    pub fn start() -> Stages {
        Stages {
            enabled: std::env::var_os("HANDREIKING_PROFIEL").is_some(),
            last: Instant::now(),
            last_cpu_ms: cpu_time_ms().unwrap_or(0),
        }
    }

    pub fn done(&mut self, stage: &str) {
        if self.enabled {
            // CPU time beside wall time shows which stages use both cores.
            let cpu_ms = cpu_time_ms().unwrap_or(0);
            eprintln!(
                "profiel: {stage:<24} {:>8.1} ms {:>6} ms cpu {:>8} kB",
                self.last.elapsed().as_secs_f64() * 1000.0,
                cpu_ms.saturating_sub(self.last_cpu_ms),
                current_memory_kb().unwrap_or(0)
            );
            self.last_cpu_ms = cpu_ms;
        }
        self.last = Instant::now();
    }
}

/// User and system CPU time of this process so far, in ms (Linux: /proc/self/stat, 100 ticks a second).
fn cpu_time_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    user.checked_add(system)?.checked_mul(10)
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
    /// A line of its own when profiling is on: counts that explain a stage's time.
    pub fn note(&self, text: &str) {
        if self.enabled {
            eprintln!("profiel: {text}");
        }
    }

    /// Prints the peak memory when profiling is on.
    pub fn peak_memory(&self) {
        if self.enabled
            && let Some(kb) = peak_memory_kb()
        {
            eprintln!("profiel: piekgeheugen {kb} kB");
        }
    }
}
