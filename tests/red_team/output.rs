//! The output directory: concurrent builds, cleanup, empty folders and mount points (items 3, 7,
//! 13).

use super::*;

fn spawn_build(root: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env_remove("GITHUB_ACTIONS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("referentie");
    let run = run(
        &[
            "build",
            "--root",
            ".",
            "--output",
            reference.to_str().unwrap(),
        ],
        repo(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let complete = tree(&reference);
    assert!(complete.contains_key(".handreiking-uitvoer"));
    std::fs::remove_dir_all(&reference).unwrap();
    let out = dir.path().join("public");
    let waiting = format!(
        "wachten: een andere build schrijft naar {}; deze build gaat verder zodra die klaar is\n",
        out.display()
    );
    for round in 0..10u64 {
        let first = spawn_build(repo(), &out);
        // From "at the same moment" to "well into the first build's writing".
        std::thread::sleep(std::time::Duration::from_millis(round * 40));
        let second = spawn_build(repo(), &out);
        for child in [first, second] {
            let done = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert_eq!(done.status.code(), Some(0), "{stderr}");
            assert!(stderr.is_empty() || stderr == waiting, "{stderr}");
            assert_eq!(
                summary(&String::from_utf8_lossy(&done.stdout)),
                "Klaar: 29 pagina's, 5 secties, 406 bestanden geschreven"
            );
        }
        assert!(
            tree(&out) == complete,
            "round {round}: public/ is not the complete site"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"], "round {round}: leftovers beside public/");
    }
}

#[cfg(unix)]
#[test]
fn cleanup_never_follows_a_link_nor_removes_a_live_build() {
    let s = built_site(&[]);
    let victim = tempfile::tempdir().unwrap();
    let other = victim.path().join("public");
    let run = run(&["build", "--output", other.to_str().unwrap()], s.root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let other_before = tree(victim.path());
    // 4194304 is above Linux's highest process id: these "builds" are certainly over.
    std::os::unix::fs::symlink(&other, s.root().join(".public.oud-4194305")).unwrap();
    std::os::unix::fs::symlink(&other, s.root().join(".public.nieuw-4194306")).unwrap();
    // A real leftover of a dead build is removed; one whose process lives is kept.
    let stale = s.root().join(".public.nieuw-4194307");
    let live = s
        .root()
        .join(format!(".public.nieuw-{}", std::process::id()));
    for dir in [&stale, &live] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join(".handreiking-uitvoer"), "").unwrap();
        std::fs::write(dir.join("index.html"), "half").unwrap();
    }
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(
        tree(victim.path()) == other_before,
        "the other site changed"
    );
    let beside: Vec<String> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Both sorted as text: where this test's own pid falls depends on its digits.
    let expected: std::collections::BTreeSet<String> = [
        format!(".public.nieuw-{}", std::process::id()),
        ".public.nieuw-4194306".to_string(),
        ".public.oud-4194305".to_string(),
    ]
    .into_iter()
    .collect();
    assert_eq!(beside, expected.into_iter().collect::<Vec<_>>());
}

#[test]
fn an_empty_output_folder_is_adopted() {
    let s = built_site(&[]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let run = run(&["build", "--output", out.to_str().unwrap()], s.root());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(tree(&out) == tree(&s.public()));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out"]);
}

/// Runs a shell script as root of its own user and mount namespace, where it may mount; `None`
/// where the system does not allow that (the test then says so and checks nothing).
fn in_mount_namespace(script: &str) -> Option<String> {
    let probe = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|p| p.status.success()) {
        eprintln!("unshare --user --mount is not available here: mount point test skipped");
        return None;
    }
    let out = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(unix)]
#[test]
fn a_mount_point_as_output_gets_its_entries_swapped() {
    let s = built_site(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (out, bound) = (dir.path().join("out"), dir.path().join("elders"));
    std::fs::create_dir(&out).unwrap();
    std::fs::create_dir(&bound).unwrap();
    let script = format!(
        "set -u
B='{bin}'; R='{root}'; O='{out}'
digest() {{ (cd \"$O\" && find . -type f | sort | xargs cat | cksum); }}
step() {{ \"$B\" build --root \"$R\" --output \"$O\" >/dev/null 2>&1; echo \"$1 rc=$? $(ls -A \"$O\" | tr '\\n' ' ')\"; }}
for kind in tmpfs bind; do
  if [ $kind = tmpfs ]; then mount -t tmpfs none \"$O\"; else mount --bind '{bound}' \"$O\"; fi
  step eerste
  printf -- '---\\ntitle: Extra\\n---\\nTekst.\\n' > \"$R/content/extra.md\"
  step extra
  head -c 11 \"$O/extra/index.html\"; echo
  printf 'kapot' > \"$R/content/kapot.md\"
  before=$(digest)
  step kapot
  [ \"$(digest)\" = \"$before\" ] && echo onveranderd
  rm \"$R/content/extra.md\" \"$R/content/kapot.md\"
  step weer
  umount \"$O\"
done
",
        bin = bin(),
        root = s.root().display(),
        out = out.display(),
        bound = bound.display(),
    );
    let Some(stdout) = in_mount_namespace(&script) else {
        return;
    };
    let once = "eerste rc=0 .handreiking-uitvoer 404.html gids index.html robots.txt rollen sitemap.xml \n\
                extra rc=0 .handreiking-uitvoer 404.html extra gids index.html robots.txt rollen sitemap.xml \n\
                PAGE Extra|\n\
                kapot rc=1 .handreiking-uitvoer 404.html extra gids index.html robots.txt rollen sitemap.xml \n\
                onveranderd\n\
                weer rc=0 .handreiking-uitvoer 404.html gids index.html robots.txt rollen sitemap.xml \n";
    assert_eq!(stdout, once.repeat(2));
}
