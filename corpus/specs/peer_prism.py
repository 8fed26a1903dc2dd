"""schemathesis against Prism's mock (the peer, as its users run it:
`prism mock SPEC`, static mode), with the options and dummy credentials
`cargo xtask corpus --schemathesis` gives our mocks. Prints one line per
spec: schemathesis' failure and error counts; its output is kept beside
in /work/peer. Needs `npm install @stoplight/prism-cli@5` under
/tmp/prism and schemathesis 4.32.5 at /work/stvenv (edit PRISM and ST).

    python3 corpus/specs/peer_prism.py ../shared/openapi-corpus/*.yaml ../shared/openapi-corpus/*.json
"""
import json, os, re, socket, subprocess, sys, time, yaml
ST = "/work/stvenv/bin/schemathesis"
PRISM = "/tmp/prism/node_modules/.bin/prism"
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def auth(spec):
    out = []
    for name, sch in ((spec.get("components") or {}).get("securitySchemes") or {}).items():
        if sch.get("type") == "apiKey": cred = 'api_key = "corpus-key"'
        elif sch.get("type") == "http" and str(sch.get("scheme", "")).lower() == "basic": cred = 'username = "corpus"\npassword = "corpus"'
        else: cred = 'bearer = "corpus-token"'
        out.append(f'[auth.openapi.{json.dumps(name)}]\n{cred}\n')
    return "\n".join(out)
for path in map(os.path.abspath, sys.argv[1:]):  # schemathesis runs in /work/peer
    text = open(path).read()
    spec = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    port = free_port()
    os.makedirs("/work/peer", exist_ok=True)
    log = open(f"/work/peer/{os.path.basename(path)}.prism", "w")
    prism = subprocess.Popen([PRISM, "mock", "-h", "127.0.0.1", "-p", str(port), path], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(120):
        try: socket.create_connection(("127.0.0.1", port), 1).close(); break
        except OSError: time.sleep(0.5)
    cfg = f"/work/peer/{os.path.basename(path)}.toml"; open(cfg, "w").write(auth(spec))
    started = time.time()
    try:
        r = subprocess.run([ST, "--config-file", cfg, "run", path, "--url", f"http://127.0.0.1:{port}",
            "--checks", "all", "--exclude-checks", "ignored_auth", "--max-examples", "100", "--seed", "20261122",
            "--generation-database", "none", "--no-color", "--output-sanitize", "false"],
            capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "200"}, cwd="/work/peer")
        out = r.stdout
    except subprocess.TimeoutExpired:
        out = "TIMEOUT"
    os.killpg(prism.pid, 9)
    open(f"/work/peer/{os.path.basename(path)}.out", "w").write(out)
    last = [l for l in out.splitlines() if re.search(r"=+ .*(failure|error|passed|in \d)", l)]
    m = re.findall(r"(\d+) (failures?|errors?)", last[-1] if last else "")
    print(os.path.basename(path), dict((k.rstrip('s'), int(n)) for n, k in m), f"{time.time()-started:.0f}s", flush=True)
