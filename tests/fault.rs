//! Fault injection: builds killed at random moments leave public/ either the old complete site or the
//! new complete site, never a mix, and the next successful build leaves no staging directory behind.

mod common;
use common::*;
use std::process::Command;
use std::time::Duration;

/// A deterministic sequence of delays (xorshift), so a failure can be reproduced.
struct Delays(u64);

impl Delays {
    fn next_ms(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % max
    }
}

fn leftovers(root: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

#[test]
fn killed_builds_never_leave_a_mixed_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let made = run(
        &[
            "synthetic",
            site.to_str().unwrap(),
            "--pages",
            "300",
            "--seed",
            "7",
        ],
        dir.path(),
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let page = site.join("content/handreiking/pagina-00000.md");
    let public = site.join("public");

    // Reference trees for the two versions of the site, built normally.
    let version = |n: u32| {
        let text = std::fs::read_to_string(&page).unwrap();
        let base = text.split("\nVersie ").next().unwrap().to_string();
        std::fs::write(&page, format!("{base}\nVersie {n}.\n")).unwrap();
    };
    version(0);
    assert_eq!(run(&["build"], &site).code, 0);
    let mut delays = Delays(0x9e37_79b9_7f4a_7c15);
    let mut killed = 0;
    for round in 1..=12u32 {
        let old = snapshot(&public);
        version(round);
        let mut child = Command::new(bin())
            .arg("build")
            .current_dir(&site)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delays.next_ms(400)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&public);
        if now != old {
            // Not the old site: then it must be exactly the new one.
            let check = site.join("controle");
            let _ = std::fs::remove_dir_all(&check);
            assert_eq!(
                run(&["build", "--output", check.to_str().unwrap()], &site).code,
                0
            );
            assert!(
                now == snapshot(&check),
                "round {round}: public/ is neither the old nor the new site"
            );
            std::fs::remove_dir_all(&check).unwrap();
        }
    }
    assert!(
        killed > 0,
        "no build was interrupted; the site builds too fast for this test"
    );
    // The next successful build cleans up whatever the killed ones left.
    assert_eq!(run(&["build"], &site).code, 0);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}
