#!/usr/bin/python3
"""Open a privaudit report.html in headless Chromium and check that it renders offline.

The script starts chromedriver on a free 127.0.0.1 port and drives it over the W3C WebDriver
HTTP protocol with the standard library only. It fails on console errors, on any request other
than the report file itself or a data: URL, on missing or invisible sections, and on empty
charts, then saves a full-page screenshot. README.md beside this file lists the checks.

Exit codes: 0 all checks passed, 1 a check failed, 2 environment problem (a package is missing,
chromedriver or Chromium did not start) or invalid command-line arguments.
"""

import argparse
import base64
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

EXIT_PASS = 0
EXIT_CHECK_FAILED = 1
EXIT_ENVIRONMENT = 2

# Seconds kept back from --timeout for deleting the session and stopping the processes.
CLEANUP_RESERVE_S = 15.0

# SVG elements that draw something. A chart needs at least one with a non-empty bounding box.
DRAWN_ELEMENTS = "path, rect, circle, ellipse, line, polyline, polygon"

# Browser switches. Besides the ones CI needs to run headless as root, they turn off Chromium's
# own background traffic. The proxy and resolver rules send every request that is not to a
# loopback address to 127.0.0.1:9, where nothing listens, and resolve no host name, so a report
# that references a remote host never reaches the network. Chromium bypasses the proxy for
# loopback addresses by default.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--window-size=1280,900",
]
# Profile preferences that open about:blank as the first tab. Without them the Debian build of
# Chromium 156 opens its new-tab page, which navigates to a remote start page (blocked by the
# proxy rule above) and loads many chrome:// resources.
PROFILE_PREFS = {
    "session.restore_on_startup": 4,  # 4: open the URLs in session.startup_urls
    "session.startup_urls": ["about:blank"],
}
WINDOW_WIDTH = 1280


class EnvironmentProblem(Exception):
    """A missing package or a driver or browser that did not start (exit code 2)."""


class DeadlineExceeded(Exception):
    """The run went past --timeout."""


class WebDriverError(Exception):
    """A WebDriver command returned an error or did not respond in time."""


class Deadline:
    """Wall-clock limit shared by every step of the run."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def remaining(self):
        return self.end - time.monotonic()

    def timeout(self, step_limit_s):
        """Return the socket timeout for one step, which is its own limit cut to the time left."""
        left = self.remaining()
        if left <= 0:
            raise DeadlineExceeded("the run went past its --timeout")
        return max(0.5, min(step_limit_s, left))


class WebDriverClient:
    """Minimal W3C WebDriver client for one chromedriver on 127.0.0.1."""

    def __init__(self, port, deadline):
        self.base_url = f"http://127.0.0.1:{port}"
        self.deadline = deadline
        self.session_id = None
        self.log_path = None  # chromedriver's log file, quoted in error messages
        # An empty ProxyHandler ignores http_proxy and friends from the environment, so the
        # commands always go straight to the local chromedriver.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method, path, body=None, step_limit_s=15.0):
        """Send one WebDriver command and return its "value". Raises WebDriverError on failure."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with self.opener.open(req, timeout=self.deadline.timeout(step_limit_s)) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            payload = error.read()
            raise WebDriverError(f"{method} {path} failed: HTTP {error.code}: "
                                 f"{describe_webdriver_error(payload)}") from None
        except (urllib.error.URLError, OSError) as error:
            raise WebDriverError(f"{method} {path} failed: {error}") from None
        try:
            return json.loads(payload.decode("utf-8")).get("value")
        except ValueError:
            raise WebDriverError(f"{method} {path} returned invalid JSON: {payload[:200]!r}") from None

    def session_path(self, suffix):
        return f"/session/{self.session_id}{suffix}"

    def execute(self, script, args=None, step_limit_s=15.0):
        body = {"script": script, "args": args or []}
        return self.request("POST", self.session_path("/execute/sync"), body, step_limit_s)

    def read_log(self, log_type):
        # chromedriver serves the legacy Selenium log endpoint as POST with the type in the body.
        entries = self.request("POST", self.session_path("/se/log"), {"type": log_type})
        return entries or []


def describe_webdriver_error(payload):
    """Return the error and message of a WebDriver error body, or the raw text."""
    try:
        value = json.loads(payload.decode("utf-8")).get("value", {})
        message = value.get("message", "").strip().splitlines()
        first_line = message[0].rstrip(".") if message else ""
        return f"{value.get('error', 'unknown error')}: {first_line}"
    except (ValueError, AttributeError):
        return payload[:300].decode("utf-8", "replace")


class CheckLog:
    """Prints one PASS or FAIL line per check and counts them."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {message}", flush=True)

    def summary(self):
        return f"browser-check: {self.passed} passed, {self.failed} failed"


def split_list(values):
    """Flatten repeated and comma-separated option values into a list of non-empty items."""
    items = []
    for value in values or []:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Check that a privaudit report.html renders in headless Chromium without "
                    "console errors or network requests.")
    parser.add_argument("report", help="path of the report.html to check")
    parser.add_argument("--sections", action="append", default=[], metavar="IDS",
                        help="comma-separated section ids that must exist and be visible "
                             "(option may repeat)")
    parser.add_argument("--min-charts", type=int, default=1, metavar="N",
                        help="minimum number of svg.chart elements (default 1)")
    parser.add_argument("--require-chart", action="append", default=[], metavar="IDS",
                        help="comma-separated data-chart values that must each be present "
                             "(option may repeat)")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="write a full-page PNG screenshot to PATH")
    parser.add_argument("--max-screenshot-height", type=int, default=12000, metavar="PX",
                        help="cap on the screenshot height in CSS pixels (default 12000)")
    parser.add_argument("--settle-ms", type=int, default=500, metavar="MS",
                        help="wait after the load event before the checks, so requests "
                             "started by timers are logged (default 500)")
    parser.add_argument("--timeout", type=float, default=90.0, metavar="S",
                        help="limit for the whole run in seconds, cleanup included (default 90)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", metavar="PATH",
                        help="Chromium binary (default /usr/bin/chromium)")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver", metavar="PATH",
                        help="chromedriver binary (default /usr/bin/chromedriver)")

    args = parser.parse_args(argv)
    args.sections = split_list(args.sections)
    args.require_chart = split_list(args.require_chart)
    if args.min_charts < 0:
        parser.error(f"--min-charts must be >= 0, got {args.min_charts}")
    if args.max_screenshot_height < 100:
        parser.error(f"--max-screenshot-height must be >= 100, got {args.max_screenshot_height}")
    if args.settle_ms < 0:
        parser.error(f"--settle-ms must be >= 0, got {args.settle_ms}")
    if args.timeout <= CLEANUP_RESERVE_S + 10:
        parser.error(f"--timeout must be > {CLEANUP_RESERVE_S + 10:g} seconds, got {args.timeout:g}")
    return args


def require_executable(path, package):
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise EnvironmentProblem(f"{path} not found or not executable; install the Debian package "
                                 f"'{package}' (apt-get install {package})")


def find_free_port():
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_chromedriver(binary, work_dir, deadline):
    """Start chromedriver in its own process group and wait until /status reports ready.

    Returns (process, client). Retries on a new port when the chosen one was taken meanwhile.
    """
    last_problem = "no attempt made"
    for attempt in range(3):
        port = find_free_port()
        log_path = os.path.join(work_dir, f"chromedriver-{attempt}.log")
        with open(log_path, "wb") as log_file:
            # Without --allowed-ips chromedriver listens on 127.0.0.1 and ::1 only (with it,
            # chromedriver 156 listens on every interface). start_new_session puts chromedriver
            # and the browsers it starts in one process group, so cleanup can stop all of them
            # even if chromedriver dies first.
            process = subprocess.Popen(
                [binary, f"--port={port}", f"--log-path={log_path}"],
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True)
        client = WebDriverClient(port, deadline)
        client.log_path = log_path
        try:
            if wait_until_ready(client, process, deadline):
                return process, client
        except BaseException:
            # A deadline or an interrupt while waiting must not leave chromedriver running.
            stop_process_group(process)
            raise
        last_problem = (f"chromedriver on port {port} exited with code {process.returncode}"
                        if process.poll() is not None
                        else f"chromedriver on port {port} was not ready after 15 s")
        last_problem += f"; its log: {tail_of_file(log_path)}"
        stop_process_group(process)
    raise EnvironmentProblem(f"{last_problem}. Check that the Debian package 'chromium-driver' "
                             f"matches the installed 'chromium'")


def wait_until_ready(client, process, deadline):
    """Poll GET /status for up to 15 s. Return False if chromedriver exits or is not ready."""
    ready_by = time.monotonic() + min(15.0, max(1.0, deadline.remaining()))
    while time.monotonic() < ready_by and process.poll() is None:
        try:
            status = client.request("GET", "/status", step_limit_s=2.0)
            if isinstance(status, dict) and status.get("ready"):
                return True
        except WebDriverError:
            pass
        except DeadlineExceeded:
            return False
        time.sleep(0.1)
    return False


def tail_of_file(path, max_chars=600):
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError as error:
        return f"(unreadable: {error})"
    text = text.strip()
    return text[-max_chars:] if text else "(empty)"


def stop_process_group(process):
    """Stop a process started with start_new_session and everything left in its group."""
    if process is None:
        return
    try:
        pgid = os.getpgid(process.pid)
    except ProcessLookupError:
        pgid = None
    for sig, wait_s in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 2.0)):
        if pgid is not None:
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                pass
        try:
            process.wait(timeout=wait_s)
            break
        except subprocess.TimeoutExpired:
            continue
    # The group can outlive its leader, so send SIGKILL to whatever is left in it.
    if pgid is not None:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def new_session(client, chromium, profile_dir):
    capabilities = {
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": {"pageLoad": 30000, "script": 10000, "implicit": 0},
        "goog:chromeOptions": {
            "binary": chromium,
            "args": CHROMIUM_ARGS + [f"--user-data-dir={profile_dir}"],
            "prefs": PROFILE_PREFS,
        },
        "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
    }
    try:
        value = client.request("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}},
                               step_limit_s=45.0)
    except WebDriverError as error:
        raise EnvironmentProblem(f"could not start Chromium through chromedriver: {error}. "
                                 f"Check that the Debian packages 'chromium' and "
                                 f"'chromium-driver' are installed with the same version. "
                                 f"End of the chromedriver log: {tail_of_file(client.log_path)}"
                                 ) from None
    client.session_id = value["sessionId"]


def load_report(client, report_url, settle_ms, checks):
    """Open the report, wait for document.readyState "complete" and return whether it came."""
    # Drop what the start page logged so that the log checks see only the report.
    client.read_log("browser")
    client.read_log("performance")
    try:
        client.request("POST", client.session_path("/url"), {"url": report_url},
                       step_limit_s=35.0)
    except WebDriverError as error:
        checks.record(False, f"page load of {report_url}: {error}")
        return False
    state = None
    ready_by = time.monotonic() + 15.0
    while time.monotonic() < ready_by:
        state = client.execute("return document.readyState")
        if state == "complete":
            break
        time.sleep(0.1)
    ok = state == "complete"
    checks.record(ok, f"page load: document.readyState is {state!r}"
                      + ("" if ok else ", expected 'complete' within 15 s"))
    if ok and settle_ms:
        time.sleep(settle_ms / 1000.0)
    return ok


SECTIONS_SCRIPT = """
const ids = arguments[0];
return ids.map(function (id) {
  const element = document.getElementById(id);
  if (!element) return {id: id, found: false};
  const rect = element.getBoundingClientRect();
  const style = window.getComputedStyle(element);
  return {id: id, found: true, tag: element.tagName.toLowerCase(),
          width: rect.width, height: rect.height, visibility: style.visibility};
});
"""


def check_sections(client, section_ids, checks):
    for section in client.execute(SECTIONS_SCRIPT, [section_ids]):
        label = f"section #{section['id']}"
        if not section["found"]:
            checks.record(False, f"{label}: not found in the document")
            continue
        size = f"{section['width']:.0f}x{section['height']:.0f} px"
        if section["width"] <= 0 or section["height"] <= 0:
            checks.record(False, f"{label}: not visible, its box is {size}; "
                                 f"expected a non-zero width and height")
        elif section["visibility"] != "visible":
            checks.record(False, f"{label}: CSS visibility is {section['visibility']!r}, "
                                 f"expected 'visible'")
        else:
            checks.record(True, f"{label}: visible <{section['tag']}>, {size}")


CHARTS_SCRIPT = """
const drawnSelector = arguments[0];
return Array.from(document.querySelectorAll('svg.chart')).map(function (svg, index) {
  const rect = svg.getBoundingClientRect();
  const shapes = Array.from(svg.querySelectorAll(drawnSelector));
  let drawnWithArea = 0;
  for (const shape of shapes) {
    try {
      const box = shape.getBBox();
      if (box.width > 0 || box.height > 0) drawnWithArea++;
    } catch (error) {
      // getBBox throws for elements that are not rendered; they do not count as drawn.
    }
  }
  return {index: index, chartId: svg.getAttribute('data-chart'),
          width: rect.width, height: rect.height,
          shapes: shapes.length, drawnWithArea: drawnWithArea};
});
"""


def check_charts(client, min_charts, required_ids, checks):
    charts = client.execute(CHARTS_SCRIPT, [DRAWN_ELEMENTS])
    checks.record(len(charts) >= min_charts,
                  f"charts: {len(charts)} svg.chart element(s), expected at least {min_charts}")

    for chart in charts:
        chart_id = chart["chartId"]
        label = (f"chart data-chart={chart_id!r}" if chart_id is not None
                 else f"chart #{chart['index'] + 1} (no data-chart attribute)")
        size = f"{chart['width']:.0f}x{chart['height']:.0f} px"
        if chart["width"] <= 0 or chart["height"] <= 0:
            checks.record(False, f"{label}: its box is {size}, expected a non-zero width "
                                 f"and height")
        elif chart["drawnWithArea"] == 0:
            checks.record(False, f"{label}: nothing drawn, {chart['shapes']} element(s) of "
                                 f"[{DRAWN_ELEMENTS}] and none with a non-empty bounding box; "
                                 f"expected at least one")
        else:
            checks.record(True, f"{label}: {size}, {chart['drawnWithArea']} drawn element(s)")

    present = {chart["chartId"] for chart in charts}
    for required in required_ids:
        checks.record(required in present,
                      f"required chart data-chart={required!r}: "
                      + ("present" if required in present else "not found"))


def same_document(url, report_url):
    """Return whether url names the report file, ignoring a #fragment and percent-encoding."""
    def normalize(value):
        return urllib.parse.unquote(urllib.parse.urldefrag(value)[0])
    return normalize(url) == normalize(report_url)


def is_allowed_url(url, report_url):
    # about:blank (an empty document, such as a new frame's) fetches nothing.
    return url.startswith("data:") or url == "about:blank" or same_document(url, report_url)


def check_console(client, checks):
    entries = client.read_log("browser")
    severe = [entry for entry in entries if entry.get("level") == "SEVERE"]
    for entry in severe:
        checks.record(False, f"console: SEVERE message: {entry.get('message', '').strip()}")
    if not severe:
        checks.record(True, f"console: no SEVERE message ({len(entries)} message(s) in total)")


def report_network_events(entries, report_url):
    """Return the Network.* events of the report's tab, from its document request on.

    Each performance log entry is {"message": JSON text of {"message": {"method", "params"},
    "webview": tab id}}. Events before the report's own document request, and events of other
    tabs, belong to the start page.
    """
    events = []
    report_tab = None
    for entry in entries:
        try:
            wrapper = json.loads(entry["message"])
            method = wrapper["message"]["method"]
            params = wrapper["message"].get("params", {})
        except (KeyError, TypeError, ValueError):
            continue
        if not method.startswith("Network."):
            continue
        if report_tab is None:
            is_report_document = (method == "Network.requestWillBeSent"
                                  and params.get("type") == "Document"
                                  and same_document(params.get("request", {}).get("url", ""),
                                                    report_url))
            if not is_report_document:
                continue
            report_tab = wrapper.get("webview")
        if wrapper.get("webview") == report_tab:
            events.append((method, params))
    return events


def check_network(client, report_url, checks):
    events = report_network_events(client.read_log("performance"), report_url)
    if not events:
        checks.record(False, f"network: no request for {report_url} in the performance log; "
                             f"expected the report's own document request")
        return

    urls_by_request = {}
    outside_urls = []
    failures = []
    for method, params in events:
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            urls_by_request[params.get("requestId")] = url
            if not is_allowed_url(url, report_url) and url not in outside_urls:
                outside_urls.append(url)
        elif method == "Network.loadingFailed":
            failures.append(params)

    for url in outside_urls:
        checks.record(False, f"network: request to {url}; the report must load nothing but "
                             f"its own file and data: URLs")
    if not outside_urls:
        checks.record(True, f"network: {len(urls_by_request)} request(s), all to the report "
                            f"file or data: URLs")

    for failure in failures:
        url = urls_by_request.get(failure.get("requestId"), "(unknown URL)")
        reasons = [failure.get("errorText") or "no error text"]
        if failure.get("blockedReason"):
            reasons.append(f"blocked by {failure['blockedReason']}")
        checks.record(False, f"network: request failed: {url}: {', '.join(reasons)}")
    if not failures:
        checks.record(True, "network: no failed request")


def save_screenshot(client, path, max_height, checks):
    """Resize the window to the whole document (up to max_height) and write a PNG to path."""
    document_height = client.execute(
        "return Math.max(document.documentElement.scrollHeight, document.body ? "
        "document.body.scrollHeight : 0)")
    target = int(min(max(document_height, 100), max_height))

    # The window can be taller than its viewport, so set the size once, measure the
    # difference and correct it.
    client.request("POST", client.session_path("/window/rect"),
                   {"width": WINDOW_WIDTH, "height": target})
    viewport = client.execute("return window.innerHeight")
    if viewport != target:
        client.request("POST", client.session_path("/window/rect"),
                       {"width": WINDOW_WIDTH, "height": target + (target - viewport)})
        viewport = client.execute("return window.innerHeight")
    client.execute("window.scrollTo(0, 0)")

    encoded = client.request("GET", client.session_path("/screenshot"), step_limit_s=30.0)
    png = base64.b64decode(encoded)
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        checks.record(False, "screenshot: the driver did not return a PNG image")
        return
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(path).write_bytes(png)
    note = "" if document_height <= max_height else f", cut from {document_height} px"
    checks.record(True, f"screenshot: {path} ({WINDOW_WIDTH}x{viewport} CSS px{note}, "
                        f"{len(png)} bytes)")


def run_checks(client, args, report_url, checks):
    if not load_report(client, report_url, args.settle_ms, checks):
        check_console(client, checks)
        return
    if args.sections:
        check_sections(client, args.sections, checks)
    check_charts(client, args.min_charts, args.require_chart, checks)
    if args.screenshot:
        save_screenshot(client, args.screenshot, args.max_screenshot_height, checks)
    # Read the logs last so they include anything that the resize for the screenshot triggered.
    check_console(client, checks)
    check_network(client, report_url, checks)


def raise_deadline(signum, frame):
    raise DeadlineExceeded("the run went past its --timeout")


def main(argv):
    args = parse_args(argv)
    report = pathlib.Path(args.report).resolve()
    checks = CheckLog()
    if not report.is_file():
        checks.record(False, f"report: {report} not found; run the report stage of "
                             f"privaudit first")
        print(checks.summary())
        return EXIT_CHECK_FAILED
    report_url = report.as_uri()

    try:
        require_executable(args.chromium, "chromium")
        require_executable(args.chromedriver, "chromium-driver")
    except EnvironmentProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_ENVIRONMENT

    work_limit_s = args.timeout - CLEANUP_RESERVE_S
    deadline = Deadline(work_limit_s)
    # SIGALRM stops a step that hangs outside any socket timeout; cleanup runs without it.
    signal.signal(signal.SIGALRM, raise_deadline)
    signal.alarm(int(work_limit_s) + 1)

    work_dir = tempfile.mkdtemp(prefix="privaudit-browser-")
    driver = None
    client = None
    exit_code = EXIT_PASS
    try:
        driver, client = start_chromedriver(args.chromedriver, work_dir, deadline)
        profile_dir = os.path.join(work_dir, "profile")
        os.mkdir(profile_dir)
        new_session(client, args.chromium, profile_dir)
        print(f"checking {report_url}", flush=True)
        run_checks(client, args, report_url, checks)
    except EnvironmentProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        exit_code = EXIT_ENVIRONMENT
    except (DeadlineExceeded, WebDriverError) as error:
        checks.record(False, f"browser: {error}")
    finally:
        signal.alarm(0)
        if client is not None and client.session_id is not None:
            client.deadline = Deadline(5.0)
            try:
                client.request("DELETE", client.session_path(""), step_limit_s=5.0)
            except (DeadlineExceeded, WebDriverError) as error:
                print(f"warning: could not delete the WebDriver session: {error}",
                      file=sys.stderr)
        stop_process_group(driver)
        shutil.rmtree(work_dir, ignore_errors=True)

    if exit_code == EXIT_ENVIRONMENT:
        # No summary line: a "0 passed, 0 failed" line would read as a run without checks.
        return exit_code
    print(checks.summary(), flush=True)
    return EXIT_CHECK_FAILED if checks.failed else EXIT_PASS


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
