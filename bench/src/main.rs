//! Run-time benchmarks of the generated crates, each against a hand-written
//! baseline measured in the same run (the machines are shared and noisy, so
//! only ratios are meaningful). `cargo xtask bench` runs this in release
//! mode and prints its rows with the generator's own.
//!
//! Each row is a line of tab-separated fields: name, measured, baseline,
//! ratio, target.

mod validating;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dbss_server::dbss_types::{ReportClientSessionNew, SqlSessionStatisticsRequest};
use serde::{Deserialize, Serialize};

/// Runs `a` and `b` alternately `rounds` times; returns their median times
/// and the spread (least and greatest) of the per-round ratio `b / a`.
fn interleaved(
    rounds: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration, (f64, f64)) {
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so neither always runs on a heap the
        // other just warmed (or fragmented).
        if round % 2 == 0 {
            times_a.push(timed(&mut a));
            times_b.push(timed(&mut b));
        } else {
            times_b.push(timed(&mut b));
            times_a.push(timed(&mut a));
        }
    }
    let ratios: Vec<f64> = times_a
        .iter()
        .zip(&times_b)
        .map(|(a, b)| b.as_secs_f64() / a.as_secs_f64())
        .collect();
    (median(times_a), median(times_b), spread(&ratios))
}

/// Least and greatest of `ratios`.
fn spread(ratios: &[f64]) -> (f64, f64) {
    ratios
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), r| {
            (low.min(*r), high.max(*r))
        })
}

/// A target with whether it was met and the spread of the ratio.
fn verdict(target: &str, met: bool, (low, high): (f64, f64)) -> String {
    format!(
        "{target} ({}); spread {low:.2}-{high:.2}",
        if met { "met" } else { "missed" }
    )
}

fn timed(f: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn row(name: &str, measured: String, baseline: String, ratio: f64, target: &str) {
    println!("{name}\t{measured}\t{baseline}\t{ratio:.3}\t{target}");
}

/// The hand-written twin of `ReportClientSessionNew`: same fields, plain
/// serde derive, and as lossless as the generated type (a fair baseline):
/// `null` kept apart from absent, members the spec does not list kept.
#[derive(Serialize, Deserialize)]
struct HandSession {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "bindings_wire::double_option"
    )]
    db_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    db_ip: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "bindings_wire::double_option"
    )]
    db_name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_num: Option<i64>,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

/// The same without keeping `null` apart or unknown members: what a plain
/// derive costs when it may lose data (shown for scale, not the baseline).
#[derive(Serialize, Deserialize)]
struct LossySession {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    db_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    db_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    db_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_num: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct HandClient {
    client_ip: String,
    total_count: i64,
    active_count: i64,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct HandStats {
    total_count: i64,
    active_count: i64,
    max_active_time: f64,
    db_stats: Vec<serde_json::Value>,
    user_stats: Vec<serde_json::Value>,
    client_stats: Vec<HandClient>,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

fn wire_speed() {
    const ITEMS: usize = 100_000;
    let sessions: String = {
        let items: Vec<String> = (0..ITEMS)
            .map(|i| {
                format!(
                    r#"{{"db_id":{},"db_ip":"100.79.{}.{}","db_name":null,"session_num":{}}}"#,
                    if i % 3 == 0 {
                        "null".to_owned()
                    } else {
                        format!("\"db{i}\"")
                    },
                    i / 256 % 256,
                    i % 256,
                    i * 7
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    };
    let stats: String = {
        let items: Vec<String> = (0..ITEMS)
            .map(|i| {
                format!(
                    r#"{{"client_ip":"10.{}.{}.{}","total_count":{},"active_count":{}}}"#,
                    i / 65536,
                    i / 256 % 256,
                    i % 256,
                    i,
                    i / 2
                )
            })
            .collect();
        format!(
            r#"{{"total_count":{ITEMS},"active_count":5,"max_active_time":3600.5,"db_stats":[],"user_stats":[],"client_stats":[{}]}}"#,
            items.join(",")
        )
    };
    let megabytes = |bytes: usize, time: Duration| bytes as f64 / 1e6 / time.as_secs_f64();

    type Generated = Vec<ReportClientSessionNew>;
    let (generated, hand, ratios) = interleaved(
        9,
        || {
            let decoded: Generated = serde_json::from_str(&sessions).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
        || {
            let decoded: Vec<HandSession> = serde_json::from_str(&sessions).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
    );
    let (lossy, value, _) = interleaved(
        5,
        || {
            let decoded: Vec<LossySession> = serde_json::from_str(&sessions).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
        || {
            let decoded: serde_json::Value = serde_json::from_str(&sessions).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
    );
    row(
        "wire: 100k count_db_client_session items, decode+encode",
        format!("{:.0} MB/s", megabytes(sessions.len(), generated)),
        format!(
            "{:.0} MB/s lossless serde derive ({:.0} MB/s lossy derive, {:.0} MB/s serde_json::Value)",
            megabytes(sessions.len(), hand),
            megabytes(sessions.len(), lossy),
            megabytes(sessions.len(), value)
        ),
        hand.as_secs_f64() / generated.as_secs_f64(),
        &verdict(
            ">= 1.0",
            hand.as_secs_f64() / generated.as_secs_f64() >= 1.0,
            ratios,
        ),
    );

    let (generated, hand, ratios) = interleaved(
        9,
        || {
            let decoded: obshell_types::TenantSessionStats =
                serde_json::from_str(&stats).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
        || {
            let decoded: HandStats = serde_json::from_str(&stats).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
    );
    let (_, value, _) = interleaved(
        5,
        || {},
        || {
            let decoded: serde_json::Value = serde_json::from_str(&stats).expect("decodes");
            std::hint::black_box(serde_json::to_string(&decoded).expect("encodes"));
        },
    );
    row(
        "wire: TenantSessionStats with 100k client_stats, decode+encode",
        format!("{:.0} MB/s", megabytes(stats.len(), generated)),
        format!(
            "{:.0} MB/s lossless serde derive ({:.0} MB/s serde_json::Value)",
            megabytes(stats.len(), hand),
            megabytes(stats.len(), value)
        ),
        hand.as_secs_f64() / generated.as_secs_f64(),
        &verdict(
            ">= 1.0",
            hand.as_secs_f64() / generated.as_secs_f64() >= 1.0,
            ratios,
        ),
    );
}

/// The 200 example of `count_db_client_session` (page 000).
fn example_sessions() -> Vec<ReportClientSessionNew> {
    serde_json::from_str(
        r#"[{"db_id":null,"db_ip":"100.79.0.248","session_num":16,"db_name":null},{"db_id":null,"db_ip":"100.79.0.247","session_num":13,"db_name":null}]"#,
    )
    .expect("the page's example decodes")
}

struct Trivial(Vec<ReportClientSessionNew>);

impl dbss_server::Dbss for Trivial {
    async fn count_db_client_session(
        &self,
        _: dbss_server::CountDbClientSessionInput,
    ) -> dbss_server::CountDbClientSessionOutput {
        dbss_server::CountDbClientSessionOutput::Ok(self.0.clone())
    }
    async fn count_operation_statistics(
        &self,
        _: dbss_server::CountOperationStatisticsInput,
    ) -> dbss_server::CountOperationStatisticsOutput {
        dbss_server::CountOperationStatisticsOutput::Forbidden {
            body: Default::default(),
            headers: Default::default(),
        }
    }
    async fn list_audit_summary_infos(
        &self,
        _: dbss_server::ListAuditSummaryInfosInput,
    ) -> dbss_server::ListAuditSummaryInfosOutput {
        dbss_server::ListAuditSummaryInfosOutput::Forbidden {
            body: Default::default(),
            headers: Default::default(),
        }
    }
    async fn list_audit_trend_history(
        &self,
        _: dbss_server::ListAuditTrendHistoryInput,
    ) -> dbss_server::ListAuditTrendHistoryOutput {
        dbss_server::ListAuditTrendHistoryOutput::Forbidden {
            body: Default::default(),
            headers: Default::default(),
        }
    }
}

const PATH: &str = "/v1/b9351f98c724428794ba7d105fa3558d/audit/e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c/statistics/session/db-client";

/// The same route and answer, written by hand on axum: the bare baseline
/// of rows 5c/5d, which decodes the body and checks nothing else (no
/// credentials, path parameters, content type or limits).
fn hand_router() -> axum::Router {
    use axum::routing::post;
    let answer = example_sessions();
    axum::Router::new().route(
        "/v1/{project_id}/audit/{instance_id}/statistics/session/db-client",
        post(move |body: axum::body::Bytes| {
            let answer = answer.clone();
            async move {
                let _request: SqlSessionStatisticsRequest = match serde_json::from_slice(&body) {
                    Ok(request) => request,
                    Err(_) => return (axum::http::StatusCode::BAD_REQUEST, String::new()),
                };
                (
                    axum::http::StatusCode::OK,
                    serde_json::to_string(&answer).unwrap_or_default(),
                )
            }
        }),
    )
}

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// CPU seconds (user and system) this process has used so far, from
/// `/proc/self/stat`; `None` where there is no such file.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks / 100.0)
}

/// One run of the outside load generator `wrk` against `address`: requests
/// per second, and this process's (the server's) CPU seconds per request.
fn wrk_load(address: SocketAddr, seconds: u32) -> Option<(f64, f64)> {
    let script = std::env::temp_dir().join(format!("bench-wrk-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        "wrk.method = \"POST\"\nwrk.body = '{\"time\":{\"time_range\":\"MONTH\"}}'\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n\
         wrk.headers[\"X-Auth-Token\"] = \"token\"\n",
    )
    .ok()?;
    let cpu_before = process_cpu_seconds()?;
    // The server keeps core 0 (see `server_overhead`); wrk gets core 1, so
    // the two do not trade places on a 2-core machine mid-run.
    let output = std::process::Command::new("taskset")
        .args([
            "-c",
            "1",
            "wrk",
            "-t1",
            "-c64",
            &format!("-d{seconds}s"),
            "-s",
        ])
        .arg(&script)
        .arg(format!("http://{address}{PATH}"))
        .output()
        .ok()?;
    let cpu = process_cpu_seconds()? - cpu_before;
    let text = String::from_utf8_lossy(&output.stdout);
    // "  123456 requests in 3.00s, ..." and "Requests/sec:  41152.00"
    let requests: f64 = text
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))?
        .0
        .parse()
        .ok()?;
    let rps: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    // A failed answer would make the generated server look fast.
    if text.contains("Non-2xx") || requests == 0.0 {
        eprintln!("wrk saw failures:\n{text}");
        return None;
    }
    Some((rps, cpu / requests))
}

/// Rows 5a-5d: the generated router against two hand-written axum
/// handlers for the same route and answer, under `wrk` from outside this
/// process: one validating what the generated router validates
/// ([`validating::validating_router`]; target: at least as fast) and the
/// bare one that only decodes the body ([`hand_router`]; target: at least
/// 0.95x). `cargo xtask bench` installs `wrk` where it is missing; without
/// it this fails rather than measure something else.
/// One server (`generated`, `validating` or `bare`) under wrk for 10
/// seconds, for a profiler run around this process (`bench profile-server
/// generated`); prints requests per second and CPU per request.
async fn profile_server(which: String) {
    let router = match which.as_str() {
        "generated" => dbss_server::router(Trivial(example_sessions())),
        "validating" => validating::validating_router(example_sessions()),
        "bare" => hand_router(),
        _ => {
            eprintln!("error: profile-server takes generated, validating or bare");
            std::process::exit(2);
        }
    };
    let address = serve(router).await;
    let _ = std::process::Command::new("taskset")
        .args(["-a", "-p", "-c", "0", &std::process::id().to_string()])
        .output();
    match tokio::task::spawn_blocking(move || wrk_load(address, 10)).await {
        Ok(Some((rps, cpu))) => println!("{which}: {rps:.0} req/s, {:.1} us/request", cpu * 1e6),
        _ => {
            eprintln!("error: wrk failed");
            std::process::exit(1);
        }
    }
}

async fn server_overhead() {
    let has_wrk = std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok();
    if !has_wrk {
        eprintln!(
            "error: the server rows need the load generator `wrk`, which is not on PATH \
             (`cargo xtask bench` installs it with apt-get)"
        );
        std::process::exit(1);
    }
    let generated = serve(dbss_server::router(Trivial(example_sessions()))).await;
    let validating = serve(validating::validating_router(example_sessions())).await;
    let bare = serve(hand_router()).await;
    // Every thread of this process (the servers' runtime) on core 0.
    let pinned = std::process::Command::new("taskset")
        .args(["-a", "-p", "-c", "0", &std::process::id().to_string()])
        .output()
        .is_ok_and(|output| output.status.success());
    if !pinned {
        eprintln!("taskset failed; the server and wrk share both cores");
    }
    // wrk runs outside this process; the servers' runtime works meanwhile.
    let run = |address| tokio::task::spawn_blocking(move || wrk_load(address, 3));
    let servers = [generated, validating, bare];
    for address in servers {
        let _ = run(address).await; // warm up each
    }
    let (mut validating_rps, mut validating_cpu) = (Vec::new(), Vec::new());
    let (mut bare_rps, mut bare_cpu) = (Vec::new(), Vec::new());
    let mut last = [(0.0, 0.0); 3];
    for round in 0..8 {
        // The three in rotating order: each goes first, second and third
        // in turn.
        let mut measured = [None; 3];
        for k in 0..servers.len() {
            let i = (round + k) % servers.len();
            measured[i] = run(servers[i]).await.ok().flatten();
        }
        let [Some(g), Some(v), Some(b)] = measured else {
            eprintln!("error: wrk failed (see above); the server rows cannot be measured");
            std::process::exit(1);
        };
        validating_rps.push(g.0 / v.0);
        validating_cpu.push(v.1 / g.1);
        bare_rps.push(g.0 / b.0);
        bare_cpu.push(b.1 / g.1);
        last = [g, v, b];
    }
    let [last_generated, last_validating, last_bare] = last;
    let rps = median_ratio(&validating_rps);
    row(
        "#25.5 server: generated router vs hand-written axum handler validating the same things: requests/s (outside load: wrk -c64 on core 1, server on core 0; median of 8 rounds, the three servers in rotating order)",
        format!("{:.0} req/s (last round)", last_generated.0),
        format!("{:.0} req/s (last round)", last_validating.0),
        rps,
        &verdict(">= 1.0", rps >= 1.0, spread(&validating_rps)),
    );
    let cpu = median_ratio(&validating_cpu);
    row(
        "#25.5 server: the same, CPU per request of the server process (validating hand-written / generated)",
        format!("{:.1} us/request (last round)", last_generated.1 * 1e6),
        format!("{:.1} us/request (last round)", last_validating.1 * 1e6),
        cpu,
        &verdict(">= 1.0", cpu >= 1.0, spread(&validating_cpu)),
    );
    let rps = median_ratio(&bare_rps);
    row(
        "#25.5 server: generated router vs bare hand-written axum handler (decodes the body, checks nothing else), same route and body: requests/s (the same 8 rounds)",
        format!("{:.0} req/s (last round)", last_generated.0),
        format!("{:.0} req/s (last round)", last_bare.0),
        rps,
        &verdict(">= 0.95", rps >= 0.95, spread(&bare_rps)),
    );
    let cpu = median_ratio(&bare_cpu);
    row(
        "#25.5 server: the same, CPU per request of the server process (bare hand-written / generated)",
        format!("{:.1} us/request (last round)", last_generated.1 * 1e6),
        format!("{:.1} us/request (last round)", last_bare.1 * 1e6),
        cpu,
        &verdict(">= 0.95", cpu >= 0.95, spread(&bare_cpu)),
    );
}

fn median_ratio(ratios: &[f64]) -> f64 {
    let mut sorted = ratios.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

async fn client_overhead() {
    let address = serve(hand_router()).await;
    let base = format!("http://{address}");
    let generated = dbss_client::Client::with_token(&base, "token");
    let raw = reqwest::Client::new();
    let calls = 2000;
    let (mut generated_times, mut raw_times) = (Vec::new(), Vec::new());
    for round in 0..7 {
        let start = Instant::now();
        for _ in 0..calls {
            let answer = generated
                .count_db_client_session()
                .project_id("b9351f98c724428794ba7d105fa3558d")
                .instance_id("e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c")
                .body(SqlSessionStatisticsRequest::new(Default::default()))
                .send()
                .await
                .expect("generated call");
            std::hint::black_box(answer.into_inner());
        }
        let generated_time = start.elapsed();
        let start = Instant::now();
        for _ in 0..calls {
            let answer: Vec<ReportClientSessionNew> = raw
                .post(format!("{base}{PATH}"))
                .header("x-auth-token", "token")
                .json(&SqlSessionStatisticsRequest::new(Default::default()))
                .send()
                .await
                .expect("raw call")
                .json()
                .await
                .expect("decodes");
            std::hint::black_box(answer);
        }
        if round > 0 {
            // The first round warms connections and caches.
            generated_times.push(generated_time);
            raw_times.push(start.elapsed());
        }
    }
    let ratios: Vec<f64> = generated_times
        .iter()
        .zip(&raw_times)
        .map(|(g, r)| g.as_secs_f64() / r.as_secs_f64())
        .collect();
    let (g, r) = (median(generated_times), median(raw_times));
    let per_call = |time: Duration| time.as_secs_f64() * 1e6 / f64::from(calls);
    row(
        "client: generated client vs raw reqwest + serde, same call and server",
        format!("{:.1} us/call", per_call(g)),
        format!("{:.1} us/call", per_call(r)),
        g.as_secs_f64() / r.as_secs_f64(),
        &verdict(
            "<= 1.05",
            g.as_secs_f64() / r.as_secs_f64() <= 1.05,
            spread(&ratios),
        ),
    );
}

#[tokio::main]
async fn main() {
    let only = std::env::args().nth(1);
    if only.as_deref() == Some("profile-server") {
        return profile_server(std::env::args().nth(2).unwrap_or_default()).await;
    }
    let run = |name: &str| only.as_deref().is_none_or(|only| only == name);
    if run("wire") {
        wire_speed();
    }
    if run("server") {
        server_overhead().await;
    }
    if run("client") {
        client_overhead().await;
    }
}
