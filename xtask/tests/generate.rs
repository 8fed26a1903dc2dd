//! `cargo xtask generate` on scratch copies of the workspace: determinism,
//! atomicity, and the drift gate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(workspace: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--workspace")
        .arg(workspace)
        .args(args)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch workspace with the specs, the API list and the checked-in crates.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("xtask-generate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let real = xtask::workspace_root();
        copy_dir(&real.join("openapi"), &root.join("openapi"));
        copy_dir(&real.join("crates"), &root.join("crates"));
        std::fs::create_dir_all(root.join("xtask")).expect("scratch xtask dir");
        std::fs::copy(real.join("xtask/apis.toml"), root.join("xtask/apis.toml"))
            .expect("copy apis.toml");
        Scratch { root }
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.root.join(file);
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("writable");
    }

    /// Every file under `crates/`, with its bytes.
    fn crates(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.root.join("crates"), &mut files);
        files
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("readable dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

fn collect(dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.insert(path.clone(), std::fs::read(&path).expect("readable file"));
        }
    }
}

#[test]
fn two_runs_give_byte_identical_output() {
    let root = xtask::workspace_root();
    let apis = xtask::load_apis(&root).expect("config");
    let first = xtask::render(&root, &apis).expect("renders");
    let second = xtask::render(&root, &apis).expect("renders");
    assert_eq!(first.generated, second.generated);
    assert_eq!(first.scaffolds, second.scaffolds);
    assert!(
        first.generated.len() >= 18,
        "three crates of three files per API"
    );
}

#[test]
fn a_spec_that_fails_lint_writes_nothing() {
    let scratch = Scratch::new("lint");
    // A real change that would regenerate dbss files...
    scratch.edit(
        "openapi/dbss.yaml",
        "description: Start of the window.",
        "description: Start of the window (edited).",
    );
    // ...and a reference that no longer resolves (an error that changes
    // the model: an invalid example alone would not stop generation).
    scratch.edit(
        "openapi/obshell.yaml",
        "$ref: \"#/components/schemas/OcsAgentResponse\"",
        "$ref: \"#/components/schemas/OcsAgentResponseGone\"",
    );
    let before = scratch.crates();

    let output = xtask(&scratch.root, &["generate"]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("openapi/obshell.yaml:"), "{stderr}");
    assert!(stderr.contains("ref-unresolved"), "{stderr}");
    assert!(
        stderr.contains("lint-rules = { ref-unresolved = \"off\" }"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(scratch.crates(), before, "checked-in output changed");
}

#[test]
fn a_generator_error_writes_nothing() {
    let scratch = Scratch::new("generator");
    scratch.edit(
        "openapi/dbss.yaml",
        "description: Start of the window.",
        "description: Start of the window (edited).",
    );
    // A parameter given by `content` (a JSON document in the query) is
    // something the generators do not read: lint says so before
    // generation, located; `generate` (which renders instead of asking
    // lint) fails at the same place and writes nothing.
    scratch.edit(
        "openapi/obshell.yaml",
        "          schema:\n            type: string\n            minLength: 1\n          example: t1",
        "          schema:\n            type: string\n            minLength: 1\n          example: t1\n        - name: filter\n          in: query\n          content:\n            application/json:\n              schema:\n                type: string",
    );
    let lint = xtask(&scratch.root, &["lint"]);
    assert!(!lint.status.success());
    let findings = text(&lint.stdout);
    assert!(
        findings.contains("openapi/obshell.yaml:") && findings.contains(": generator-support: "),
        "{findings}"
    );
    let before = scratch.crates();

    let output = xtask(&scratch.root, &["generate"]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    let located = stderr
        .lines()
        .find_map(|line| {
            line.split_once("error: ")?
                .1
                .contains(": generator-support: ")
                .then(|| line.split_once("error: ").map(|(_, rest)| rest))?
        })
        .unwrap_or_else(|| panic!("no located error: {stderr}"));
    let position: Vec<&str> = located.splitn(4, ':').collect();
    assert!(
        position[0].ends_with("openapi/obshell.yaml")
            && position[1].parse::<usize>().is_ok()
            && position[2].parse::<usize>().is_ok(),
        "`file:line:col: rule: message`: {located}"
    );
    assert!(stderr.contains("cannot generate"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(scratch.crates(), before, "checked-in output changed");
}

#[test]
fn check_reports_drift_until_regenerated() {
    let scratch = Scratch::new("drift");
    let clean = xtask(&scratch.root, &["generate", "--check"]);
    assert!(clean.status.success(), "{}", text(&clean.stdout));

    scratch.edit(
        "openapi/dbss.yaml",
        "description: Start of the window.",
        "description: Start of the window (edited).",
    );
    let stale = xtask(&scratch.root, &["generate", "--check"]);
    assert!(!stale.status.success());
    let stdout = text(&stale.stdout);
    assert!(
        stdout.contains("stale: crates/dbss-types/src/generated.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    /// Start of the window (edited)."),
        "{stdout}"
    );
    assert!(stdout.contains("-    /// Start of the window."), "{stdout}");
    assert!(
        !stdout.contains("obshell"),
        "only the edited API is stale: {stdout}"
    );

    let regenerate = xtask(&scratch.root, &["generate"]);
    assert!(regenerate.status.success(), "{}", text(&regenerate.stderr));
    let again = xtask(&scratch.root, &["generate", "--check"]);
    assert!(again.status.success(), "{}", text(&again.stdout));
}

#[test]
fn hand_written_files_survive_regeneration() {
    let scratch = Scratch::new("handwritten");
    let lib = scratch.root.join("crates/dbss-types/src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).expect("lib.rs");
    text.push_str("\n// a maintainer's note\n");
    std::fs::write(&lib, &text).expect("write lib.rs");
    scratch.edit(
        "openapi/dbss.yaml",
        "description: Start of the window.",
        "description: Start of the window (edited).",
    );

    let output = xtask(&scratch.root, &["generate"]);
    assert!(output.status.success(), "{}", self::text(&output.stderr));
    assert_eq!(std::fs::read_to_string(&lib).expect("lib.rs"), text);
}

/// `add-api` copies a spec and lists it; a spec without the project's own
/// `x-request-errors` generates, and its router answers an invalid request
/// with the answer the operation documents (`bindings_server::refuse`).
#[test]
fn add_api_lists_a_spec_that_then_generates() {
    let scratch = Scratch::new("add-api");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/bindings-codegen/tests/generator-fixtures/no-request-errors.yaml");
    let output = xtask(
        &scratch.root,
        &[
            "add-api",
            "notes",
            "--spec",
            fixture.to_str().expect("UTF-8"),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("added openapi/notes.yaml"), "{stdout}");
    assert!(stdout.contains("cargo xtask generate"), "{stdout}");
    let apis = std::fs::read_to_string(scratch.root.join("xtask/apis.toml")).expect("apis.toml");
    assert!(
        apis.contains("name = \"notes\"") && apis.contains("lint-ruleset = \"standard\""),
        "{apis}"
    );

    let again = xtask(
        &scratch.root,
        &[
            "add-api",
            "notes",
            "--spec",
            fixture.to_str().expect("UTF-8"),
        ],
    );
    assert!(!again.status.success(), "a second `notes` is refused");
    let bad_name = xtask(
        &scratch.root,
        &[
            "add-api",
            "Not_A_Name",
            "--spec",
            fixture.to_str().expect("UTF-8"),
        ],
    );
    assert!(!bad_name.status.success());

    let lint = xtask(&scratch.root, &["lint"]);
    assert!(lint.status.success(), "{}", text(&lint.stdout));
    let generated = xtask(&scratch.root, &["generate"]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let server = std::fs::read_to_string(scratch.root.join("crates/notes-server/src/generated.rs"))
        .expect("the server crate");
    assert!(
        server.contains("::bindings_server::refuse(problem, operation)"),
        "refusals in the spec's own terms without x-request-errors"
    );
    for krate in ["notes-types", "notes-client", "notes-server"] {
        assert!(
            scratch
                .root
                .join("crates")
                .join(krate)
                .join("Cargo.toml")
                .exists(),
            "{krate}"
        );
    }
}

/// The compatibility policy at work: a new optional response member and a
/// new value of an open enum are `compatible` for Rust code, and an
/// example consumer written against the old crates (examples/consumer: it
/// builds values and matches an open enum) still compiles against the
/// regenerated ones.
#[test]
fn a_compatible_spec_change_keeps_an_old_consumer_compiling() {
    let scratch = Scratch::new("compat");
    let real = xtask::workspace_root();
    let consumer = scratch.root.join("examples/consumer");
    std::fs::create_dir_all(consumer.join("src")).expect("consumer dir");
    for file in ["Cargo.toml", "Cargo.lock", "src/main.rs"] {
        std::fs::copy(
            real.join("examples/consumer").join(file),
            consumer.join(file),
        )
        .expect("copy the consumer");
    }
    // The crates inherit the workspace's settings; only they are members.
    let manifest = std::fs::read_to_string(real.join("Cargo.toml")).expect("manifest");
    let manifest = manifest.replace(
        r#"members = ["xtask", "tests", "bench", "crates/*"]"#,
        r#"members = ["crates/*"]"#,
    );
    std::fs::write(scratch.root.join("Cargo.toml"), manifest).expect("scratch manifest");
    let old_spec = std::fs::read_to_string(scratch.root.join("openapi/dbss.yaml")).expect("spec");
    scratch.edit(
        "openapi/dbss.yaml",
        "      x-source: Page 000, SDK model of the same name.\n      properties:\n",
        "      x-source: Page 000, SDK model of the same name.\n      properties:\n        db_port:\n          type: integer\n          format: int32\n          description: A member a later version of the page adds.\n",
    );
    scratch.edit(
        "openapi/dbss.yaml",
        "          x-extensible-enum:\n            - FINISHED\n            - RUNNING\n",
        "          x-extensible-enum:\n            - FINISHED\n            - RUNNING\n            - QUEUED\n",
    );
    let new_spec = std::fs::read_to_string(scratch.root.join("openapi/dbss.yaml")).expect("spec");

    let changes =
        bindings_codegen::diff::diff_texts("old", &old_spec, "new", &new_spec).expect("diffs");
    let ids: Vec<&str> = changes.iter().map(|change| change.id).collect();
    assert_eq!(
        ids,
        [
            "response-property-added-optional",
            "response-open-enum-value-added"
        ],
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .all(|change| change.rust == bindings_codegen::diff::Level::Compatible)
    );

    let generated = xtask(&scratch.root, &["generate"]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let types = std::fs::read_to_string(scratch.root.join("crates/dbss-types/src/generated.rs"))
        .expect("types");
    assert!(
        types.contains("db_port") && types.contains("Queued"),
        "regenerated"
    );

    // The consumer's own lock file; a target directory of its own beside
    // the workspace's, kept between runs.
    let build = Command::new(env!("CARGO"))
        .args(["build", "--locked", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", real.join("target/compat-consumer"))
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "the old consumer no longer compiles:\n{}",
        text(&build.stderr)
    );
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        text(&status.stderr)
    );
}

/// A breaking spec change: `release --check` fails until `release` bumps
/// the version (0.x: minor), writes the changelogs and regenerates.
#[test]
fn release_bumps_breaking_changes_and_check_holds_ci_to_it() {
    let scratch = Scratch::new("release");
    git(&scratch.root, &["init", "-q"]);
    git(&scratch.root, &["add", "-A"]);
    git(&scratch.root, &["commit", "-q", "-m", "base"]);
    scratch.edit(
        "openapi/obshell.yaml",
        "        code:\n          type: integer\n          format: int64\n",
        "        code:\n          type: integer\n          format: int32\n",
    );
    let check = xtask(&scratch.root, &["release", "--check", "--base", "HEAD"]);
    assert!(
        !check.status.success(),
        "a breaking change without a bump passes"
    );
    let message = text(&check.stderr);
    assert!(
        message.contains("obshell") && message.contains("need a minor bump"),
        "{message}"
    );

    let dbss_before = scratch.crates();
    let dbss_config_before = std::fs::read_to_string(scratch.root.join("xtask/apis.toml"))
        .expect("config")
        .split("[[api]]")
        .find(|api| api.contains("name = \"dbss\""))
        .map(str::to_owned);
    // A 0.x breaking change bumps the minor version, whatever it is today.
    let obshell_before = xtask::load_apis(&scratch.root)
        .expect("config")
        .into_iter()
        .find(|api| api.name == "obshell")
        .expect("obshell")
        .version;
    let expected =
        xtask::release::bumped(&obshell_before, xtask::release::Bump::Minor).expect("a version");
    assert!(obshell_before.starts_with("0.") && expected != obshell_before);
    let release = xtask(&scratch.root, &["release", "--base", "HEAD"]);
    assert!(release.status.success(), "{}", text(&release.stderr));
    let config = std::fs::read_to_string(scratch.root.join("xtask/apis.toml")).expect("config");
    assert!(
        config.contains(&format!("name = \"obshell\"\nversion = \"{expected}\"")),
        "{config}"
    );
    let manifest = std::fs::read_to_string(scratch.root.join("crates/obshell-types/Cargo.toml"))
        .expect("manifest");
    assert!(
        manifest.contains(&format!("version = \"{expected}\"")),
        "{manifest}"
    );
    let changelog = std::fs::read_to_string(scratch.root.join("crates/obshell-types/CHANGELOG.md"))
        .expect("a changelog");
    assert!(
        changelog.contains(&format!("## {expected}"))
            && changelog.contains("response-format-changed"),
        "{changelog}"
    );
    // An unchanged API is not released: its crates and version stay.
    let dbss_after = scratch.crates();
    let dbss_files: Vec<&PathBuf> = dbss_before
        .keys()
        .filter(|path| path.to_string_lossy().contains("dbss-"))
        .collect();
    assert!(
        dbss_files.len() > 10,
        "the dbss crates are compared: {dbss_files:?}"
    );
    for path in dbss_files {
        assert_eq!(
            dbss_after.get(path),
            dbss_before.get(path),
            "{} changed",
            path.display()
        );
    }
    assert_eq!(
        std::fs::read_to_string(scratch.root.join("xtask/apis.toml"))
            .expect("config")
            .split("[[api]]")
            .find(|api| api.contains("name = \"dbss\""))
            .map(str::to_owned),
        dbss_config_before
    );
    let check = xtask(&scratch.root, &["release", "--check", "--base", "HEAD"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
}

/// Issue 26's change to `limit`, made to whatever the spec says now:
/// its `maximum` lowered tenfold (10000 -> 1000) and its `pattern` made to
/// admit exactly 1 to the new maximum, as the two must agree. Returns the
/// old and new maximum and the edited spec.
fn lower_limit(spec: &str) -> (u64, u64, String) {
    let document = openapi_source::SourceDoc::parse(spec).expect("dbss.yaml parses");
    let schema = "/components/schemas/Limit";
    let old = document
        .value()
        .pointer(&format!("{schema}/maximum"))
        .and_then(serde_json::Value::as_u64)
        .filter(|maximum| {
            let digits = maximum.to_string();
            let zeros = digits.strip_prefix('1').unwrap_or("x");
            zeros.len() >= 2 && zeros.chars().all(|c| c == '0')
        })
        .expect("Limit's maximum is a power of ten, at least 100");
    let new = old / 10;
    // 1 to 999...9 with one digit fewer than `new`, or `new` itself.
    let digits = new.to_string().len();
    let pattern = format!("^([1-9][0-9]{{0,{}}}|{new})$", digits - 2);
    let lines = [
        (
            document.position(&format!("{schema}/maximum")).line,
            format!("maximum: {new}"),
        ),
        (
            document.position(&format!("{schema}/pattern")).line,
            format!("pattern: \"{pattern}\""),
        ),
    ];
    let edited = spec
        .split_inclusive('\n')
        .enumerate()
        .map(
            |(index, text)| match lines.iter().find(|(line, _)| *line == index + 1) {
                Some((_, replacement)) => {
                    let indent = text.len() - text.trim_start().len();
                    format!("{}{replacement}\n", &text[..indent])
                }
                None => text.to_owned(),
            },
        )
        .collect();
    (old, new, edited)
}

/// The README's maintainer loop on issue 26's change, in order, on a
/// scratch copy: the vendor's page 002 lowers `limit`'s maximum (from
/// 10000 to 1000 today); `docs check` says so, the spec is edited (the
/// maximum and the pattern that must agree with it), `lint` and `generate`
/// pass, `diff` reports the narrowing as breaking for wire clients,
/// `release` makes a minor bump with the change under "Breaking" and moves
/// the version in the lock files CI builds with `--locked`, and `release
/// --check` and `generate --check` then pass. (The tests that follow, run
/// on such a copy by hand, need no edit: they read the bounds from the
/// generated types.)
#[test]
fn the_maintainer_loop_on_a_lowered_limit_ends_in_a_minor_bump() {
    let scratch = Scratch::new("loop");
    let real = xtask::workspace_root();
    std::fs::create_dir_all(scratch.root.join("examples/consumer")).expect("consumer dir");
    std::fs::copy(
        real.join("examples/consumer/Cargo.lock"),
        scratch.root.join("examples/consumer/Cargo.lock"),
    )
    .expect("copy the consumer's lock file");
    git(&scratch.root, &["init", "-q"]);
    git(&scratch.root, &["add", "-A"]);
    git(&scratch.root, &["commit", "-q", "-m", "base"]);
    let old_version = xtask::load_apis(&scratch.root)
        .expect("config")
        .into_iter()
        .find(|api| api.name == "dbss")
        .expect("dbss")
        .version;
    let new_version =
        xtask::release::bumped(&old_version, xtask::release::Bump::Minor).expect("a version");
    let spec_path = scratch.root.join("openapi/dbss.yaml");
    let (old, new, edited) = lower_limit(&std::fs::read_to_string(&spec_path).expect("spec"));

    // 1. The page changed: docs check says what differs (when the vendor's
    // pages are beside the repository and page 002 states the spec's
    // bound, as CI checks).
    let seed = real.join("../shared/seeds/002_1ba254f07476fb9a.txt");
    let page = scratch.root.join("page-002.txt");
    let page_path = page.to_string_lossy().into_owned();
    let bound = format!("less than or equal to {old}\n");
    match std::fs::read_to_string(&seed) {
        Ok(original) if original.contains(&bound) => {
            let changed = original.replace(&bound, &format!("less than or equal to {new}\n"));
            std::fs::write(&page, changed).expect("the changed page");
            let check = xtask(&scratch.root, &["docs", "check", &page_path]);
            let found = text(&check.stdout) + &text(&check.stderr);
            assert!(!check.status.success(), "{found}");
            let expected = format!("the page says maximum {new}, the spec `maximum: {old}`");
            assert!(
                found.contains("constraint-mismatch") && found.contains(&expected),
                "{found}"
            );
        }
        _ => eprintln!(
            "no page 002 stating maximum {old} in ../shared/seeds: the loop starts at the edit"
        ),
    }

    // 2. The edit: the maximum and the pattern, which must agree.
    std::fs::write(&spec_path, &edited).expect("the edited spec");
    if page.exists() {
        let check = xtask(&scratch.root, &["docs", "check", &page_path]);
        assert!(check.status.success(), "{}", text(&check.stdout));
    }
    let lint = xtask(&scratch.root, &["lint"]);
    assert!(lint.status.success(), "{}", text(&lint.stdout));

    // 3. generate: the new bound reaches the types' constants, and the
    // summary says the change breaks on the wire (Rust code alone would
    // not tell: the types keep their names).
    let generated = xtask(&scratch.root, &["generate"]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    assert!(
        text(&generated.stderr).contains("2 breaking on the wire"),
        "{}",
        text(&generated.stderr)
    );
    let types = std::fs::read_to_string(scratch.root.join("crates/dbss-types/src/generated.rs"))
        .expect("types");
    assert!(
        types.contains(&format!("maximum : {new},")),
        "Limit::MAX is {new}"
    );

    // 4. diff: the narrowing breaks wire clients.
    let diff = xtask(
        &scratch.root,
        &["diff", "--base", "HEAD", "--fail-on", "breaking"],
    );
    let report = text(&diff.stdout) + &text(&diff.stderr);
    assert!(!diff.status.success(), "{report}");
    let tightened = format!(
        "request-constraint-tightened: query parameter `limit`: maximum {old} -> {new} [client breaking"
    );
    assert!(report.contains(&tightened), "{report}");
    let check = xtask(&scratch.root, &["release", "--check", "--base", "HEAD"]);
    assert!(
        !check.status.success(),
        "a breaking change without a bump passes"
    );
    // 5. release: a minor bump, the change under "Breaking", the versions
    // in the lock files.
    let release = xtask(&scratch.root, &["release", "--base", "HEAD"]);
    assert!(release.status.success(), "{}", text(&release.stderr));
    let config = std::fs::read_to_string(scratch.root.join("xtask/apis.toml")).expect("config");
    assert!(
        config.contains(&format!("name = \"dbss\"\nversion = \"{new_version}\"")),
        "{config}"
    );
    let changelog = std::fs::read_to_string(scratch.root.join("crates/dbss-types/CHANGELOG.md"))
        .expect("a changelog");
    let entry = changelog
        .split(&format!("## {new_version}\n"))
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("an entry for the new version");
    let breaking = entry
        .split("### Breaking\n")
        .nth(1)
        .expect("a Breaking section");
    assert!(
        breaking
            .split("###")
            .next()
            .is_some_and(|section| section.contains("`request-constraint-tightened`")),
        "{entry}"
    );
    let lock = std::fs::read_to_string(scratch.root.join("examples/consumer/Cargo.lock"))
        .expect("the consumer's lock file");
    for kind in ["types", "client", "server"] {
        assert!(
            lock.contains(&format!(
                "name = \"dbss-{kind}\"\nversion = \"{new_version}\""
            )),
            "dbss-{kind} in the consumer's lock file"
        );
    }
    let check = xtask(&scratch.root, &["release", "--check", "--base", "HEAD"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let fresh = xtask(&scratch.root, &["generate", "--check"]);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
}
