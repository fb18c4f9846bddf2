/// The dashboard's stylesheet, script and icon, built into the binary: the pages load nothing
/// from anywhere else (no CDN, no network).
enum DashboardAssets {
    static let stylesheetPath = "/assets/dashboard.css"
    static let scriptPath = "/assets/dashboard.js"
    static let iconPath = "/assets/icon.svg"

    /// The asset at `path`, with its content type; nil for any other path.
    static func response(path: String) -> ControlResponse? {
        let found: (String, String)? = switch path {
        case stylesheetPath: (stylesheet, "text/css; charset=utf-8")
        case scriptPath: (script, "text/javascript; charset=utf-8")
        case iconPath: (icon, "image/svg+xml")
        default: nil
        }
        guard let (text, type) = found else { return nil }
        var headers = HTML.securityHeaders
        headers["Cache-Control"] = "max-age=300"
        return ControlResponse(status: 200, contentType: type, body: Array(text.utf8), headers: headers)
    }

    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="#2f6f4e"/><circle cx="8" cy="8" r="2.5" fill="#f4f1e8"/></svg>

        """

    static let stylesheet = """
        :root { --ink: #1d2321; --muted: #5b6661; --line: #d9d6cc; --paper: #fbfaf6; --accent: #2f6f4e; --new: #c0392b; --shift: #b7791f; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--paper); }
        header { display: flex; gap: 2rem; align-items: baseline; padding: .8rem 1.5rem; border-bottom: 1px solid var(--line); background: #fff; }
        .brand { font-weight: 700; color: var(--accent); letter-spacing: .02em; }
        nav a { margin-right: 1.2rem; color: var(--muted); text-decoration: none; }
        nav a[aria-current="page"] { color: var(--ink); font-weight: 600; border-bottom: 2px solid var(--accent); }
        main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
        h1 { font-size: 1.4rem; margin: .6rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
        h3 { font-size: .95rem; margin: .9rem 0 .2rem; color: var(--muted); }
        a { color: var(--accent); }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
        td code, td.time, td button { white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: .85rem; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .8rem; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
        .card .value { font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .card .name { color: var(--muted); font-size: .85rem; }
        .muted { color: var(--muted); }
        .notice { background: #eef6f0; border: 1px solid #b9d8c4; padding: .5rem .8rem; border-radius: 6px; }
        .badge { display: inline-block; white-space: nowrap; padding: 0 .45rem; border-radius: 4px; font-size: .8rem; font-weight: 600; color: #fff; background: var(--muted); }
        .badge.new_topic { background: var(--new); }
        .badge.topic_shift { background: var(--shift); }
        .chart, .timeline { background: #fff; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
        .chart svg, .timeline svg { display: block; width: 100%; height: auto; }
        svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        svg text.axis { fill: var(--muted); font-size: 11px; }
        svg a:hover circle, svg a:focus circle { stroke: var(--ink); stroke-width: 2; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        ul.entities { list-style: none; padding: 0; }
        ul.entities li { margin: .15rem 0; }
        button { font: inherit; padding: .2rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
        #live-state { font-size: .85rem; }

        """

    /// Live updates only: every page is complete without it. It fetches from this API and
    /// replaces server-rendered parts; nothing it inserts is built from strings as HTML.
    static let script = #"""
        "use strict";
        (function () {
          var mode = document.body.getAttribute("data-live");
          if (!mode) { return; }
          var every = 3000;
          var state = document.getElementById("live-state");
          function mark(text) { if (state) { state.textContent = text; } }
          function getJSON(url) {
            return fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
              if (!response.ok) { throw new Error(url + " answered " + response.status); }
              return response.json();
            });
          }
          function overview() {
            return getJSON("/status").then(function (status) {
              document.querySelectorAll("[data-status]").forEach(function (cell) {
                var value = status[cell.getAttribute("data-status")];
                if (value !== undefined) { cell.textContent = value === null ? "none" : String(value); }
              });
            });
          }
          function timeline() {
            var holder = document.getElementById("timeline");
            if (!holder) { return Promise.resolve(); }
            return getJSON("/api/documents?limit=1").then(function (page) {
              var newest = page.documents.length ? String(page.documents[0].sequence) : "";
              if (newest === holder.getAttribute("data-sequence")) { return; }
              return fetch("/timeline.svg").then(function (response) {
                if (!response.ok) { throw new Error("/timeline.svg answered " + response.status); }
                return response.text();
              }).then(function (text) {
                var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
                var svg = parsed.documentElement;
                if (!svg || svg.nodeName !== "svg") { return; }
                holder.replaceChildren(document.importNode(svg, true));
                holder.setAttribute("data-sequence", newest);
              });
            });
          }
          var refresh = mode === "timeline" ? timeline : overview;
          function tick() {
            refresh().then(function () {
              mark("Live: updated " + new Date().toLocaleTimeString());
            }, function () {
              mark("Live updates paused: the daemon did not answer; retrying.");
            });
          }
          mark("Live: updates every " + every / 1000 + " s");
          setInterval(tick, every);
        })();

        """#
}
