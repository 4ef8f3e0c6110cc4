"""Screenshots of every tour step before and after its reveal, clicked through as a reader would.

    python scripts/tour_screenshots.py [--out screenshots/tour] [--lang en|zh]

Starts `streamlit run explorer_app.py`, opens /tour at step 1 in Chromium and, for each step, saves
<out>/<lang>-<NN>-before.png, picks an answer (a different position each step), presses the reveal
button, saves <out>/<lang>-<NN>-after.png and presses "Next step"; last, the summary. Prints per step the
reveal time, console errors, exceptions and charts that drew nothing; exits 1 when there was any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from explorer import i18n  # noqa: E402
from explorer.lessons import tour  # noqa: E402
from tests.e2e import (  # noqa: E402
    APP_IDLE,
    CHARTS_JS,
    CONTENT_HEIGHT_JS,
    RENDERED_JS,
    VIEWPORT,
    browser_missing,
    launch,
    serve,
)


def settle(tab) -> None:
    tab.wait_for_timeout(400)
    tab.wait_for_selector(APP_IDLE, timeout=180_000)
    tab.wait_for_function(RENDERED_JS, timeout=30_000)
    tab.wait_for_timeout(600)  # Vega draws after the element appears


def shoot(tab, path: Path) -> None:
    height = tab.evaluate(CONTENT_HEIGHT_JS)
    tab.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, VIEWPORT["height"]), 20_000)})
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size(VIEWPORT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots" / "tour", help="folder for the PNGs")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default="en")
    args = parser.parse_args()
    reason = browser_missing()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    t = i18n.translator(args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with sync_playwright() as playwright, serve() as base:
        browser = launch(playwright)
        tab = browser.new_context(viewport=VIEWPORT).new_page()
        errors: list[str] = []
        tab.on(
            "console",
            lambda m: errors.append(m.text) if m.type == "error" and "_stcore" not in str(m.location) else None,
        )
        tab.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        tab.goto(f"{base}/tour?step=1&lang={args.lang}", wait_until="domcontentloaded")
        settle(tab)
        for number, step in enumerate(tour.STEPS, start=1):
            shoot(tab, args.out / f"{args.lang}-{number:02d}-before.png")
            option = number % len(step.options)
            tab.locator('[data-testid="stMain"] [role="radiogroup"] label').nth(option).click()
            settle(tab)
            started = time.monotonic()
            tab.get_by_role("button", name=t("tour.reveal")).click()
            settle(tab)
            # the first chart of a session waits for the browser to load Vega: wait for it to be drawn
            tab.wait_for_selector(".vega-embed svg g.role-mark, .vega-embed canvas", timeout=60_000)
            tab.wait_for_timeout(500)
            seconds = time.monotonic() - started
            shoot(tab, args.out / f"{args.lang}-{number:02d}-after.png")
            charts = tab.evaluate(CHARTS_JS)
            blank = [c["index"] for c in charts if c["visible"] and c["marks"] == 0]
            exceptions = [e.inner_text()[:300] for e in tab.query_selector_all('[data-testid="stException"]')]
            print(f"{number:2d} {step.key:<10} reveal {seconds:5.1f} s  {len(charts)} chart(s)  blank {blank}")
            for line in errors + exceptions:
                print(f"    {line}")
            problems += len(errors) + len(exceptions) + len(blank) + (len(charts) != 1)
            errors.clear()
            tab.get_by_role("button", name=t("tour.next")).click()
            settle(tab)
        shoot(tab, args.out / f"{args.lang}-{tour.SUMMARY:02d}-summary.png")
        browser.close()
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
