#!/usr/bin/env python3
"""Survey the layout features of Open Telekom Cloud API reference pages.

Reads pages straight out of fetched snapshots (git directories under
/work/.mirror/<owner>+<name>/repo, or $PAGES_MIRROR_ROOT) with `git show`, so it
works on the snapshots themselves, and on the materialised files under files/.

    survey.py scan   [--out FILE]      every candidate page of every known repo -> JSON lines
    survey.py page   FILE...           features of local files (.html or .rst)

This is a classification aid, not a reader: it only finds section titles, table
captions, table header rows, Type cells and the URI line, which is what the
`layout` tags of manifest.toml are made of.  python3 stdlib only.
"""
import hashlib
import html.parser
import json
import os
import re
import subprocess
import sys

MIRROR_ROOT = os.environ.get("PAGES_MIRROR_ROOT", "/work/.mirror")

# repo -> (format, glob-ish prefix, suffix)
SOURCES = {
    "opentelekomcloud-docs/doc-exports": ("html", "docs/", "/api-ref/", ".html"),
}
RST_REPOS = [
    "auto-scaling", "cloud-trace-service", "database-security-service",
    "distributed-cache-service", "distributed-message-service",
    "elastic-cloud-server", "elastic-load-balancing", "elastic-volume-service",
    "identity-access-management", "key-management-service", "load-balancer",
    "modelarts", "relational-database-service", "simple-message-notification",
    "virtual-private-cloud",
]
for _r in RST_REPOS:
    SOURCES["opentelekomcloud-docs/" + _r] = ("rst", "api-ref/source/", "", ".rst")

METHOD_RE = re.compile(r"^\s*(GET|POST|PUT|DELETE|PATCH|HEAD)\s+((?:/|https?://)[^ ]*(?:\{[^}]*\}[^ ]*)*)\s*$")


def mirror_dir(repo):
    return os.path.join(MIRROR_ROOT, repo.replace("/", "+"), "repo")


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True,
                          capture_output=True).stdout


# ---------------------------------------------------------------- HTML

BLOCK = {"p", "div", "pre", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption",
         "td", "th", "tr", "table", "ul", "ol", "dd", "dt", "br"}


class HtmlPage(html.parser.HTMLParser):
    """Flattens a Huawei HTML export into blocks and tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []          # (kind, text, section)
        self.tables = []          # dict(caption, header, rows, section)
        self.section = ""
        self.buf = []
        self.tstack = []
        self.in_title = None
        self.cell = None
        self.row = None
        self.in_caption = False
        self.in_thead = False
        self.in_pre = 0

    def flush(self, kind="p"):
        text = "".join(self.buf)
        self.buf = []
        if self.in_pre:
            lines = text.split("\n")
        else:
            lines = [re.sub(r"\s+", " ", text).strip()]
        for line in lines:
            if line.strip():
                self.blocks.append((kind, line.strip(), self.section))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in BLOCK and self.cell is None and not self.in_caption and self.in_title is None:
            self.flush()
        if tag == "pre":
            self.in_pre += 1
        if tag in ("h1", "h2", "h3", "h4", "h5") and self.cell is None:
            self.in_title = (tag, a.get("class", ""))
            self.buf = []
        elif tag == "table":
            self.tstack.append({"caption": None, "header": [], "rows": [],
                                "section": self.section, "thead": False,
                                "lead": self.blocks[-1][1] if self.blocks and not self.tstack
                                and self.blocks[-1][0] == "p"
                                and self.blocks[-1][2] == self.section else None})
        elif tag == "caption" and self.tstack:
            self.in_caption = True
            self.buf = []
        elif tag == "thead" and self.tstack:
            self.tstack[-1]["thead"] = True
            self.in_thead = True
        elif tag == "tr" and self.tstack:
            self.row = []
        elif tag in ("td", "th") and self.tstack:
            self.cell = []
            self.cell_tag = tag
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "pre":
            if self.cell is None:
                self.flush("pre")
            self.in_pre = max(0, self.in_pre - 1)
        if self.in_title and tag == self.in_title[0]:
            text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
            self.buf = []
            if tag == "h1":
                self.blocks.append(("title", text, ""))
            else:
                self.section = text
                self.blocks.append(("section", text, text))
            self.in_title = None
            return
        if tag == "caption" and self.in_caption:
            cap = re.sub(r"\s+", " ", "".join(self.buf)).strip()
            self.buf = []
            self.tstack[-1]["caption"] = cap
            self.in_caption = False
            return
        if tag in ("td", "th") and self.cell is not None and self.tstack:
            text = re.sub(r"\s+", " ", "".join(self.cell)).strip()
            if self.row is not None:
                self.row.append((self.cell_tag, text))
            self.cell = None
            return
        if tag == "tr" and self.row is not None and self.tstack:
            t = self.tstack[-1]
            if self.in_thead or (not t["header"] and not t["rows"]
                                 and all(k == "th" for k, _ in self.row)):
                if not t["header"]:
                    t["header"] = [c for _, c in self.row]
            else:
                t["rows"].append([c for _, c in self.row])
            self.row = None
            return
        if tag == "thead":
            self.in_thead = False
        if tag == "table" and self.tstack:
            t = self.tstack.pop()
            self.tables.append(t)
            return
        if tag in BLOCK and self.cell is None and not self.in_caption:
            self.flush("pre" if tag == "pre" else "p")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data)


def parse_html(text):
    p = HtmlPage()
    p.feed(text)
    p.flush()
    title = next((t for k, t, _ in p.blocks if k == "title"), "")
    sections = [t for k, t, _ in p.blocks if k == "section"]
    lines = [(t, s) for k, t, s in p.blocks if k in ("p", "pre")]
    tables = [{"caption": t["caption"], "header": t["header"], "rows": t["rows"],
               "section": t["section"], "lead": t.get("lead")} for t in p.tables]
    return title, sections, lines, tables


# ---------------------------------------------------------------- RST

UNDER = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def rst_grid_rows(block):
    """block: lines of a grid table (already dedented). -> header, rows"""
    border = block[0]
    cuts = [i for i, ch in enumerate(border) if ch == "+"]
    header, rows, cur = [], [], None
    seen_head_sep = any(l.startswith("+=") for l in block)
    for line in block[1:]:
        if line.startswith("+"):
            if cur is not None:
                cells = [re.sub(r"\s+", " ", " ".join(c)).strip() for c in cur]
                if line.startswith("+=") or (not seen_head_sep and not header and False):
                    header = cells
                else:
                    rows.append(cells)
            cur = None
            continue
        if cur is None:
            cur = [[] for _ in range(len(cuts) - 1)]
        for k in range(len(cuts) - 1):
            cur[k].append(line[cuts[k] + 1:cuts[k + 1]] if len(line) > cuts[k] else "")
    if not seen_head_sep:
        header = []
    return header, rows


def rst_simple_rows(block):
    border = block[0]
    cols = [(m.start(), m.end()) for m in re.finditer(r"=+", border)]
    seps = [i for i, l in enumerate(block) if re.match(r"^=+( +=+)*\s*$", l)]
    def cells(line):
        out = []
        for k, (s, e) in enumerate(cols):
            end = cols[k + 1][0] if k + 1 < len(cols) else len(line)
            out.append(line[s:end].strip())
        return out
    header, rows = [], []
    if len(seps) >= 3:
        header = cells(" ".join(block[1:seps[1]]) if seps[1] - 1 == 1 else block[1])
        body = block[seps[1] + 1:seps[2]]
    else:
        body = block[1:seps[1]] if len(seps) > 1 else block[1:]
    for l in body:
        if not l.strip():
            continue
        c = cells(l)
        if c[0] == "" and rows:
            rows[-1] = [(a + " " + b).strip() for a, b in zip(rows[-1], c)]
        else:
            rows.append(c)
    return header, rows


def parse_rst(text):
    lines = text.split("\n")
    title, sections, out_lines, tables = "", [], [], []
    section = ""
    pending_caption = None
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < n else ""
        if line.strip() and not line.startswith(" ") and UNDER.match(nxt) \
                and len(nxt.strip()) >= len(line.strip()) and not line.startswith(".."):
            if nxt[0] == "=" and not title:
                title = line.strip()
            else:
                section = line.strip()
                sections.append(section)
            i += 2
            continue
        m = re.match(r"^(\s*)\.\. table::\s*(.*)$", line)
        if m:
            cap = m.group(2).strip()
            cap = re.sub(r"^\*\*Table\s+\d+\*\*\s*", "", cap)
            pending_caption = cap or None
            i += 1
            continue
        s = line.lstrip()
        ind = len(line) - len(s)
        if s.startswith("+-") or re.match(r"^=+( +=+)+\s*$", s):
            block = []
            j = i
            if s.startswith("+"):
                while j < n and lines[j][ind:ind + 1] in ("+", "|") and lines[j].strip():
                    block.append(lines[j][ind:])
                    j += 1
                header, rows = rst_grid_rows(block)
            else:
                nsep = 0
                while j < n:
                    l = lines[j][ind:] if len(lines[j]) >= ind else ""
                    if re.match(r"^=+( +=+)+\s*$", l):
                        nsep += 1
                        block.append(l)
                        j += 1
                        if nsep == 3:
                            break
                        continue
                    if not lines[j].strip() and nsep >= 2:
                        # blank line inside simple table body is allowed; stop at 3rd sep
                        block.append("")
                        j += 1
                        continue
                    block.append(l)
                    j += 1
                header, rows = rst_simple_rows(block)
            lead = out_lines[-1][0] if out_lines and out_lines[-1][1] == section else None
            tables.append({"caption": pending_caption, "header": header, "rows": rows,
                           "section": section, "lead": lead})
            pending_caption = None
            i = j
            continue
        if s:
            out_lines.append((s, section))
        i += 1
    return title, sections, out_lines, tables


# ---------------------------------------------------------------- features

NEW_SECTIONS = {"request parameters", "response parameters", "example requests",
                "example responses", "status codes", "error codes", "function", "uri"}
OLD_SECTIONS = {"request", "response", "example request", "example response",
                "returned values", "returned value"}


def norm(s):
    return re.sub(r"\s+", " ", (s or "")).strip()


def strip_md(s):
    s = re.sub(r":ref:`([^<`]*?)\s*<[^>]*>`", r"\1", s)
    s = s.replace("**", "").replace("*", "").replace("\\", "")
    return norm(s)


def caption_kind(cap):
    if cap is None or not norm(cap):
        return "caption:none"
    c = strip_md(cap).lower()
    c = re.sub(r"^table\s+\d+\s*", "", c)
    if c == "parameter description" or c == "parameter descriptions":
        return "caption:parameter-description"
    if "parameters in the request header" in c or c in ("request header", "request headers"):
        return "caption:parameters-in-the-request-header"
    if c in ("request parameters", "request parameter"):
        return "caption:request-parameters"
    if c in ("response parameters", "response parameter"):
        return "caption:response-parameters"
    if c in ("path parameters", "path parameter"):
        return "caption:path-parameters"
    if c in ("query parameters", "query parameter"):
        return "caption:query-parameters"
    if c in ("request header parameters",):
        return "caption:request-header-parameters"
    if c in ("request body parameters",):
        return "caption:request-body-parameters"
    if c in ("response body parameters",):
        return "caption:response-body-parameters"
    if c in ("response header parameters",):
        return "caption:response-header-parameters"
    if re.fullmatch(r"parameters? in the \S+ field", c):
        return "caption:parameters-in-the-name-field"
    if c in ("normal", "abnormal", "error", "normal response", "abnormal response",
             "error response"):
        return "caption:response-kind"
    if "field description" in c or "field data structure description" in c:
        return "caption:field-description"
    if c in ("status codes", "status code", "returned values", "return values", "return codes"):
        return "caption:status-codes"
    if c in ("error codes", "error code"):
        return "caption:error-codes"
    if c in ("parameters", "parameter"):
        return "caption:parameters"
    if c in ("uri parameters", "uri parameter"):
        return "caption:uri-parameters"
    if "parameters in the request body" in c:
        return "caption:parameters-in-the-request-body"
    if "parameters in the response body" in c:
        return "caption:parameters-in-the-response-body"
    if re.fullmatch(r"[\w.\[\]-]+ (parameters?|parameter descriptions?)", c):
        return "caption:name-parameters"
    if re.fullmatch(r"[\w.\[\]-]+ (objects?|structure|description)", c):
        return "caption:name-objects"
    if re.fullmatch(r"[\w.\[\]-]+", c):
        return "caption:object-name"
    return "caption:other"


def col_index(header, *names):
    for i, h in enumerate(header):
        if strip_md(h).lower() in names:
            return i
    return None


def _segments(path):
    path = re.sub(r"^https?://[^/]*", "", path).split("?", 1)[0]
    return [x for x in path.strip("/").split("/") if x]


def same_operation(a, b):
    """b is an example (instance) of a's template, or the same template."""
    if a[0] != b[0]:
        return False
    sa, sb = _segments(a[1]), _segments(b[1])
    if len(sa) != len(sb):
        return False
    return all(x == y or "{" in x or "{" in y for x, y in zip(sa, sb))


def template_of(low):
    """Names the section scheme of a page from its (lower-cased) section titles."""
    has = set(low)
    if "request uri" in has or "request methods" in has:
        return "request-uri-methods"
    if "request message" in has or "response message" in has:
        return "request-message"
    if "request body" in has or "response body" in has:
        return "request-body"
    new_params = bool(has & {"request parameters", "response parameters"})
    new_examples = bool(has & {"example requests", "example responses"})
    old_params = bool(has & {"request", "response"})
    old_examples = bool(has & {"example request", "example response"})
    if new_params and new_examples and "status codes" in has:
        return "new"
    if new_params:
        return "new-singular-examples" if old_examples or not new_examples else "new-partial"
    if has & {"requests", "responses"}:
        return "plural-requests-responses"
    if old_params and has & {"returned values", "returned value"}:
        return "old"
    if old_params and old_examples:
        return "old-no-returned-values"
    if old_params:
        return "old-request-response"
    return "other"


def page_features(fmt, text):
    title, sections, lines, tables = (parse_html if fmt == "html" else parse_rst)(text)
    feats = set()
    if any(strip_md(s) != norm(s) for s in sections):
        feats.add("section:title-markup")
    low = [strip_md(s).lower() for s in sections]
    for s in low:
        slug = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
        if slug:
            feats.add("section:" + slug)
        continue
        key = {
            "function": "function", "functions": "function", "uri": "uri",
            "request": "request", "response": "response",
            "request parameters": "request-parameters",
            "response parameters": "response-parameters",
            "example request": "example-request", "example requests": "example-requests",
            "example response": "example-response", "example responses": "example-responses",
            "returned values": "returned-values", "returned value": "returned-values",
            "status codes": "status-codes", "status code": "status-codes",
            "error codes": "error-codes", "error code": "error-codes",
            "request message": "request-message", "response message": "response-message",
            "constraints": "constraints",
        }.get(s)
        if key:
            feats.add("section:" + key)
    feats.add("template:" + template_of(low))

    # URI
    ops = []
    for t, sec in lines:
        m = METHOD_RE.match(strip_md(t))
        if not m:
            continue
        path = m.group(2)
        in_uri = norm(sec).lower() in ("uri", "", "request", "url") or "uri" in norm(sec).lower()
        ops.append((m.group(1), path, in_uri))
    uri_ops = [(m, p) for m, p, u in ops if u]
    if not uri_ops:
        uri_ops = [(m, p) for m, p, u in ops]
    # distinct templated operations (examples carry concrete paths)
    distinct = []
    for m, p in uri_ops:
        if (m, p) not in distinct:
            distinct.append((m, p))
    op = distinct[0] if distinct else None
    # other URI lines are either examples of the same operation (a concrete
    # host, concrete ids, a filled-in query) or alternative operations (the
    # ECS pages that give /v2/... and /v2.1/...): only the latter count.
    alternates = [d for d in distinct[1:] if not same_operation(op, d)]
    tmpl = [op] + alternates if op else []
    if op:
        p = op[1]
        if re.match(r"https?://", p):
            feats.add("uri:endpoint-host" if "{" in p.split("/")[2] else "uri:literal-host")
        else:
            feats.add("uri:path")
        if "{?" in p:
            feats.add("uri:query-rfc6570")
        elif "?" in p:
            feats.add("uri:query-template" if "{" in p.split("?", 1)[1] else "uri:query-literal")
    n_uri_in_section = len(distinct)

    # tables
    n_param_tables = 0
    n_rows = 0
    for t in tables:
        hdr = [strip_md(h).lower() for h in t["header"]]
        if not hdr and t["rows"]:
            hdr_guess = [strip_md(h).lower() for h in t["rows"][0]]
            if any(h in ("parameter", "name", "description", "type") for h in hdr_guess):
                hdr = hdr_guess
                feats.add("table:header-in-body")
        feats.add(caption_kind(t["caption"]))
        lead = strip_md(re.sub(r"^[-*]\s+", "", t.get("lead") or ""))
        if not norm(t["caption"]) and lead and len(lead) <= 60 \
                and not lead.endswith((".", ":", ";", ",")) and not METHOD_RE.match(lead):
            # no caption, but a short label line (a bullet or a bold paragraph) names it
            feats.add("table:label-line")
            feats.add("label:" + caption_kind(lead).split(":", 1)[1])
        if not hdr:
            feats.add("table:no-header")
            continue
        first = hdr[0]
        is_param = "description" in hdr and first in ("parameter", "name", "field", "attribute",
                                                      "parameter name", "param", "element")
        if first in ("status code", "returned value", "return value", "http status code",
                     "status codes", "code"):
            feats.add("table:status-codes")
        if first in ("error code", "error codes") or "error code" in hdr:
            feats.add("table:error-codes")
        if not is_param:
            continue
        n_param_tables += 1
        n_rows += len(t["rows"])
        feats.add("header:" + {"parameter": "parameter", "name": "name"}.get(first, "other-first"))
        ti = col_index(t["header"], "type")
        mi = col_index(t["header"], "mandatory", "required", "mandatory or not")
        if ti is not None and mi is not None:
            feats.add("header:type-before-mandatory" if ti < mi else "header:mandatory-before-type")
        if mi is not None and strip_md(t["header"][mi]).lower() == "required":
            feats.add("header:required")
        if ti is None:
            feats.add("header:no-type")
        if ti is not None:
            for r in t["rows"]:
                if ti < len(r):
                    v = strip_md(r[ti]).lower()
                    if v in ("array", "list", "jsonarray"):
                        feats.add("type:array-bare")
                    elif re.match(r"^(array|list)\s*(of|<|\[)", v):
                        feats.add("type:array-of")
                    elif re.match(r"^(array|list)\b", v):
                        feats.add("type:array-other")
    if fmt == "html":
        n_code = len(re.findall(r"<pre\b", text))
    else:
        n_code = len(re.findall(r"^\s*\.\. code-block::", text, re.M))
    return {
        "title": strip_md(title),
        "n_code_blocks": n_code,
        "sections": sections,
        "method": op[0] if op else None,
        "op_path": op[1] if op else None,
        "uri_ops": distinct,
        "alternates": alternates if op else [],
        "n_templated_ops": len(tmpl),
        "n_param_tables": n_param_tables,
        "n_param_rows": n_rows,
        "n_tables": len(tables),
        "captions": [t["caption"] for t in tables],
        "features": sorted(feats),
    }


def candidates(repo):
    fmt, prefix, mid, suffix = SOURCES[repo]
    gd = mirror_dir(repo)
    head = git(gd, "rev-parse", "HEAD").decode().strip()
    names = git(gd, "ls-tree", "-r", "--name-only", head, prefix).decode().split("\n")
    for nm in names:
        if nm.endswith(suffix) and mid in nm:
            yield fmt, gd, head, nm


def main(argv):
    if len(argv) >= 2 and argv[1] == "scan":
        out = sys.stdout
        if "--out" in argv:
            out = open(argv[argv.index("--out") + 1], "w")
        for repo in SOURCES:
            if not os.path.isdir(mirror_dir(repo)):
                print(f"missing mirror for {repo}", file=sys.stderr)
                continue
            for fmt, gd, head, nm in candidates(repo):
                raw = git(gd, "show", f"{head}:{nm}")
                try:
                    f = page_features(fmt, raw.decode("utf-8"))
                except Exception as e:  # survey only: note and go on
                    f = {"error": repr(e)}
                f.update(repo=repo, commit=head, path=nm, format=fmt,
                         sha256=hashlib.sha256(raw).hexdigest())
                out.write(json.dumps(f) + "\n")
        return 0
    if len(argv) >= 3 and argv[1] == "page":
        for fn in argv[2:]:
            fmt = "html" if fn.endswith(".html") else "rst"
            with open(fn, encoding="utf-8") as fh:
                f = page_features(fmt, fh.read())
            f["file"] = fn
            print(json.dumps(f))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
