"""Browser helpers shared by the e2e tests and scripts/screenshots.py: start `streamlit run` on a free port,
launch Debian's Chromium through Playwright, and visit a page recording what a reader would see.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.app_registry import REPO, Page

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download does not work here; Debian's Chromium does, with these flags.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGE_TIMEOUT_S = 120  # a page's first visit computes its runs; on 2 shared cores that can take a while
ANIMATION_GAP_S = 2.0
VIEWPORT = {"width": 1400, "height": 1000}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"no browser at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        return f"playwright is not importable ({err}); pip install -r requirements-dev.txt"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(entry: str, port: int) -> list[str]:
    """The server command the tests and benchmarks start: headless, on localhost, without usage stats."""
    return [
        *(sys.executable, "-m", "streamlit", "run", entry),
        *("--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"),
        *("--browser.gatherUsageStats", "false"),
        # others may be editing the checkout while the tests run: no "source changed" reruns mid-test
        *("--server.fileWatcherType", "none"),
    ]


@contextlib.contextmanager
def serve(port: int | None = None, timeout_s: float = 90.0) -> Iterator[str]:
    """`streamlit run explorer_app.py` on a free localhost port; yields the base URL, stops it after."""
    port = port or free_port()
    command = streamlit_command("explorer_app.py", port)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if server.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log.read()[-3000:]}")
                with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.read().decode().strip() == "ok":
                        break
                if time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"streamlit not healthy after {timeout_s:.0f} s:\n{log.read()[-3000:]}")
                time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def harmless(message_text: str, resource_url: str, base: str) -> bool:
    """Console errors Streamlit's own frontend causes on every direct page load, and nothing else.

    Opened at /<page>, the frontend first looks for the server under that path (it may be served from a
    sub-path): GET /<page>/_stcore/health and /<page>/_stcore/host-config answer 404, then it uses the
    root. Chromium logs each 404 as "Failed to load resource". Only those exact probe URLs are ignored;
    any other failed resource, JS error or Vega warning logged as an error still fails the test.
    """
    probe = re.fullmatch(re.escape(base) + r"/[\w-]+/_stcore/(health|host-config)", resource_url or "")
    return bool(probe) and message_text.startswith("Failed to load resource: the server responded with a status of 404")


# What each chart draws: the renderer, its title, how many data marks have geometry, and a signature of
# the marks' geometry (to tell animation frames apart). Streamlit 1.67 renders Vega with SVG, switching
# to canvas when a dataset has more than 2000 rows; canvas marks are judged by coloured pixels (axes,
# grid and labels are grey, every mark colour the app uses is saturated).
CHARTS_JS = """
() => {
  const hash = (s) => { let h = 5381; for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0; return h.toString(16); };
  return [...document.querySelectorAll('.vega-embed')].map((embed, index) => {
    const box = embed.getBoundingClientRect();
    const out = {index, visible: box.width > 0 && box.height > 0, renderer: 'none', title: null,
                 marks: 0, text_marks: [], cut: [], coloured_pixels: 0, signature: '',
                 bindings: embed.querySelectorAll('.vega-bindings input').length,
                 playing: [...embed.querySelectorAll('.vega-bindings input[type=checkbox]')].some(c => c.checked)};
    const svg = embed.querySelector('svg');
    const canvas = embed.querySelector('canvas');
    if (svg) {
      out.renderer = 'svg';
      out.title = [...svg.querySelectorAll('.role-title-text')].map(t => t.textContent).join(' / ') || null;
      // text Vega cut short to fit (a legend's labelLimit, an axis label's width): it ends in an ellipsis
      out.cut = [...svg.querySelectorAll('text')].map(t => t.textContent).filter(s => s.endsWith('\u2026'));
      const parts = [];
      for (const group of svg.querySelectorAll('g.role-mark')) {
        for (const item of group.children) {
          if (item.tagName === 'text') { if (item.textContent.trim()) out.text_marks.push(item.textContent.trim()); continue; }
          if (item.tagName === 'g') continue;  // nested scopes are role-mark groups of their own
          const b = item.getBBox ? item.getBBox() : {width: 0, height: 0};
          const d = item.getAttribute('d') || '';
          if (b.width + b.height > 0 || d.length > 4) { out.marks += 1; parts.push(d + '|' + (item.getAttribute('transform') || '')); }
        }
      }
      out.signature = hash((out.title || '') + '#' + parts.join(';'));
    } else if (canvas) {
      out.renderer = 'canvas';
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) out.coloured_pixels += 1;
      }
      out.marks = out.coloured_pixels > 50 ? 1 : 0;
      out.signature = hash(canvas.toDataURL());
    }
    return out;
  });
}
"""

CONTENT_HEIGHT_JS = """
() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('*')]
  .filter(e => e.scrollHeight > e.clientHeight + 5 && /(auto|scroll)/.test(getComputedStyle(e).overflowY))
  .map(e => e.scrollHeight + e.getBoundingClientRect().top))
"""

RENDERED_JS = """
() => [...document.querySelectorAll('.vega-embed')].every(e => {
  const box = e.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return true;
  return e.querySelector('canvas') || e.querySelector('svg g.role-mark');
})
"""


@dataclass
class Visit:
    page: Page
    url: str
    seconds: float = 0.0
    console_errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    console_other: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    later: list[dict] = field(default_factory=list)  # the charts with bindings, ANIMATION_GAP_S later
    favicon: dict | None = None  # the tab's icon: its address and, once loaded as an image, its width
    navigation: dict | None = None  # the sidebar's page links and whether a "View N more" button hides some


# The tab's icon as the browser loads it: a page_icon that is neither an emoji nor an image is taken for
# an address (st.set_page_config), which the server answers with its HTML page, and the tab shows none.
FAVICON_JS = """async () => {
  const link = document.querySelector("link[rel~='icon']");
  if (!link) return null;
  const image = new Image();
  image.src = link.href;
  try { await image.decode(); } catch (error) { return {href: link.href, width: 0}; }
  return {href: link.href, width: image.naturalWidth};
}"""


NAVIGATION_JS = """() => ({
  links: [...document.querySelectorAll('[data-testid="stSidebarNavLink"]')].map(a => a.innerText.trim()),
  more: [...document.querySelectorAll('[data-testid="stSidebarNavViewButton"]')].map(b => b.innerText.trim()),
})"""


def visit(browser, base: str, page: Page, *, screenshot: Path | None = None, query: str = "") -> Visit:
    """Open a page in a fresh browser context (a fresh Streamlit session) and record what it shows."""
    url = f"{base}/{page.url}" + (f"?{query}" if query else "")
    record = Visit(page=page, url=url)
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()

    def on_console(message) -> None:
        text = f"{message.type}: {message.text}"
        if message.type != "error":
            record.console_other.append(text)
        elif harmless(message.text, message.location.get("url", ""), base):
            record.ignored.append(f"{text} ({message.location.get('url')})")
        else:
            record.console_errors.append(f"{text} ({message.location.get('url')})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: record.console_errors.append(f"page error: {error}"))
    started = time.monotonic()
    try:
        tab.goto(url, wait_until="domcontentloaded")
        timeout_ms = PAGE_TIMEOUT_S * 1000
        tab.wait_for_selector(APP_IDLE, timeout=timeout_ms)
        # The script may rerun once right away (a first visit straight to a page, see explorer/app/language.py): settle.
        tab.wait_for_timeout(500)
        tab.wait_for_selector(APP_IDLE, timeout=timeout_ms)
        tab.wait_for_function(RENDERED_JS, timeout=30_000)
        record.seconds = time.monotonic() - started
        record.exceptions = [e.inner_text()[:500] for e in tab.query_selector_all('[data-testid="stException"]')]
        record.charts = tab.evaluate(CHARTS_JS)
        record.favicon = tab.evaluate(FAVICON_JS)
        record.navigation = tab.evaluate(NAVIGATION_JS)
        drawn_by = time.monotonic() + 5  # Vega draws asynchronously after the element appears: give it a moment
        while time.monotonic() < drawn_by and any(
            c["visible"] and not (c["marks"] or c["text_marks"]) for c in record.charts
        ):
            tab.wait_for_timeout(250)
            record.charts = tab.evaluate(CHARTS_JS)
        if any(chart["bindings"] for chart in record.charts):
            tab.wait_for_timeout(ANIMATION_GAP_S * 1000)
            record.later = tab.evaluate(CHARTS_JS)
        if screenshot is not None:
            # Streamlit scrolls its main area inside the window, so a "full page" shot of the window
            # shows one screen: grow the window to the scrolled content's height first.
            height = tab.evaluate(CONTENT_HEIGHT_JS)
            tab.set_viewport_size(
                {"width": VIEWPORT["width"], "height": min(max(math.ceil(height), VIEWPORT["height"]), 20_000)}
            )
            tab.wait_for_timeout(800)
            tab.screenshot(path=str(screenshot), full_page=True)
    finally:
        context.close()
    return record
